/**
 * Entry point of one gateway process: configuration → buildApp → listen; graceful close on SIGTERM.
 */
import { readEnv } from '@sicora/platform/config';
import { closeOnSignals, listen } from '@sicora/platform/lifecycle';
import { awaitFirstProbe, buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(readEnv());
const app = await buildApp(config);
const server = await listen(app, config.host, config.port);
app.log.info({ url: server.url }, 'gateway listening');
closeOnSignals(server.close, (msg) => app.log.info(msg));
const report = await awaitFirstProbe(app);
app.log.info({ status: report.status, up: report.summary.up, total: report.summary.total }, 'first health probe round done');
