import { platformRoutesSuite } from '@sicora/platform/testing/service-shell';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

platformRoutesSuite({ name: 'kb', loadConfig, buildApp });
