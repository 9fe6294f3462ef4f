// The bench's 10 000 items (bench/kb/README.md, "the load"), shared by kb.bench.mjs and kb.profile.mjs so
// both measure the same data set.
import { randomUUID } from 'node:crypto';

/** A small deterministic PRNG (mulberry32), so every run loads the same text. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEDES = ['Calle 52', 'Salitre', 'Restrepo', 'Kennedy', 'Soacha', 'Chapinero', 'Fontibón', 'Usme', 'Suba', 'Ricaurte'];
const PROGRAMAS = ['ADSO', 'gestión contable', 'cocina', 'electricidad', 'mecánica automotriz', 'diseño gráfico', 'logística', 'enfermería', 'construcción', 'sistemas'];

/**
 * count published items built on the demo's published items (the exported §6.2 objects, so the import
 * validates them as any backup): each keeps its template's kind, category, tags and audience, gets its own
 * id, slug and a title naming a sede and a program, and its content gains a section of ~60 words drawn from
 * the demo's own vocabulary, so the 10 000 texts differ and the index grows as real content would.
 */
export function buildItems(exported, count) {
  const templates = exported.items.filter((i) => i.status === 'published');
  const vocabulary = [...new Set(templates.flatMap((t) => `${t.title} ${t.summary ?? ''} ${t.content}`.replace(/[#*_`>\-|()[\]:;,.¿?¡!"0-9%]/g, ' ').split(/\s+/).filter((w) => w.length > 3)))];
  const rnd = prng(20261207);
  const pick = () => vocabulary[Math.floor(rnd() * vocabulary.length)];
  const sentence = (n) => { const w = Array.from({ length: n }, pick); w[0] = w[0][0].toUpperCase() + w[0].slice(1); return `${w.join(' ')}.`; };
  const items = [];
  for (let k = 0; k < count; k++) {
    const t = templates[k % templates.length];
    const sede = SEDES[Math.floor(k / templates.length) % SEDES.length];
    const programa = PROGRAMAS[Math.floor(k / (templates.length * SEDES.length)) % PROGRAMAS.length];
    const extra = Array.from({ length: 5 }, () => sentence(8 + Math.floor(rnd() * 8))).join(' ');
    items.push({
      ...t,
      id: randomUUID(),
      slug: `${t.slug.slice(0, 100).replace(/-+$/, '')}-b${k}`,
      title: `${t.title} — sede ${sede}, ${programa} (${k})`.slice(0, 200),
      content: `${t.content}\n\n## Aplicación en la sede ${sede}\n\nPara el programa de ${programa}: ${extra}`,
      origin: 'import',
      view_count: Math.floor(rnd() * 500),
      versions: [],
    });
  }
  return items;
}

