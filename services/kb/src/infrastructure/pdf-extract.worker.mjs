// R27: PDF text extraction off the main thread (every service shares one event loop in the embedded
// default). Plain JavaScript so it runs the same from the sources and from the bundle.
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';

try {
  const pdf = await getDocumentProxy(new Uint8Array(workerData.bytes));
  const pages = pdf.numPages;
  if (pages > workerData.maxPages) {
    parentPort.postMessage({ error: 'PDF_TOO_MANY_PAGES', pages });
  } else {
    const { text } = await extractText(pdf, { mergePages: false });
    let title = null;
    try {
      const meta = await getMeta(pdf);
      title = typeof meta?.info?.Title === 'string' ? meta.info.Title : null;
    } catch {
      title = null;
    }
    parentPort.postMessage({ pages, texts: text, title });
  }
} catch (err) {
  const name = String(err?.name ?? '');
  parentPort.postMessage({ error: name === 'PasswordException' ? 'PDF_ENCRYPTED' : 'PDF_UNREADABLE', message: String(err?.message ?? err).slice(0, 300) });
}
