/**
 * Entry point of one users process: configuration → buildApp → listen; graceful close on SIGTERM.
 */
import { readEnv } from '@sicora/platform/config';
import { closeOnSignals, listen } from '@sicora/platform/lifecycle';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(readEnv());
const app = await buildApp(config);
const server = await listen(app, config.host, config.port);
app.log.info({ url: server.url }, 'users listening');
closeOnSignals(server.close, (msg) => app.log.info(msg));
