/**
 * Entry point of one gateway process: configuration → buildApp → listen; graceful close on SIGTERM.
 */
import { readEnv } from '@sicora/platform/config';
import { closeOnSignals, listen } from '@sicora/platform/lifecycle';
import { awaitFirstProbe, buildApp } from './app.ts';
import { shutdownGateway } from './http/shutdown.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(readEnv());
const app = await buildApp(config);
const server = await listen(app, config.host, config.port);
app.log.info({ url: server.url }, 'gateway listening');
// R34's phases (ready 503 at once, new requests 503 after 2 s, 10 s drain, log flush) before the close.
closeOnSignals(() => shutdownGateway(app), (msg) => app.log.info(msg));
const report = await awaitFirstProbe(app);
app.log.info({ status: report.status, up: report.summary.up, total: report.summary.total }, 'first health probe round done');
