/**
 * Entry point of one users process: configuration → buildApp → listen; graceful close on SIGTERM.
 */
import { readEnv } from '@sicora/platform/config';
import { closeOnSignals, listen } from '@sicora/platform/lifecycle';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';

const config = loadConfig(readEnv());
const app = await buildApp(config, {
  onBootstrap: ({ createdAdmin }) => {
    // Shown once on the terminal that started the service, never through the logger (users.md §11).
    if (createdAdmin) process.stdout.write(`\nSICORA admin: ${createdAdmin.email}  contraseña inicial: ${createdAdmin.password}\n\n`);
  },
});
const server = await listen(app, config.host, config.port);
app.log.info({ url: server.url }, 'users listening');
closeOnSignals(server.close, (msg) => app.log.info(msg));
