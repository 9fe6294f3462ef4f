import { cleanup, screen } from '@testing-library/react';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { Markdown, parseBlocks, safeHref, Snippet } from '../src/features/kb/components/markdown.tsx';
import { renderUi } from './helpers.tsx';

function renderRouted(ui: ReactElement) {
  const root = createRootRoute({ component: () => ui });
  const router = createRouter({ routeTree: root, history: createMemoryHistory({ initialEntries: ['/'] }) });
  renderUi(<RouterProvider router={router} />);
}

afterEach(cleanup);

describe('kb content rendering (Markdown, never HTML)', () => {
  it('when an item has headings, lists, bold and a table, then they become elements one level below the page title', async () => {
    const md = ['## Paso a paso', '', '1. Ingrese a **SICORA**', '2. Elija *Nueva justificación*', '', '| Soporte | Tamaño |', '|---|---|', '| PDF | 5 MB |', '', 'Consulte la [guía](/ayuda/guia) o `Mi asistencia`.'].join('\n');
    renderRouted(<Markdown source={md} />);
    expect((await screen.findByRole('heading', { name: 'Paso a paso' })).tagName).toBe('H3');
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['Ingrese a SICORA', 'Elija Nueva justificación']);
    expect(screen.getByText('SICORA').tagName).toBe('STRONG');
    expect(screen.getByRole('columnheader', { name: 'Soporte' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '5 MB' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'guía' }).getAttribute('href')).toBe('/ayuda/guia');
  });

  it('when content holds HTML or a javascript: link, then it is shown as text and no element or link is created from it', async () => {
    const md = 'Texto <img src=x onerror="alert(1)"> <b>negrita</b>\n\n[clic](javascript:alert(1)) [dato](data:text/html,hola) [sitio](https://www.sena.edu.co)';
    renderRouted(<Markdown source={md} />);
    await screen.findByText(/Texto <img src=x onerror="alert\(1\)"> <b>negrita<\/b>/);
    expect(document.querySelector('img, b, script')).toBeNull();
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['https://www.sena.edu.co']);
    expect(screen.getByText(/clic/)).toBeTruthy();
    expect(safeHref('//evil.example/x')).toBeNull();
    expect(safeHref(' JavaScript:alert(1)')).toBeNull();
  });

  it('when a search highlight carries <mark>, then only those become marks and the rest is text without Markdown symbols', () => {
    renderUi(<Snippet highlight={'## Plazo: tres <mark>días</mark> hábiles para **<mark>justificar</mark>** <script>x</script>'} />);
    const marks = Array.from(document.querySelectorAll('mark')).map((m) => m.textContent);
    expect(marks).toEqual(['días', 'justificar']);
    expect(document.querySelector('script')).toBeNull();
    const text = document.querySelector('mark')!.parentElement!.textContent;
    expect(text).toBe('Plazo: tres días hábiles para justificar <script>x</script>');
  });

  it('when text has paragraphs split over lines and a quote, then blocks follow the source', () => {
    expect(parseBlocks('Una línea\nsigue aquí\n\n> cita\n\n---\n- a\n- b')).toEqual([
      { type: 'paragraph', text: 'Una línea sigue aquí' },
      { type: 'quote', text: 'cita' },
      { type: 'rule' },
      { type: 'list', ordered: false, start: 1, items: ['a', 'b'] },
    ]);
  });
});
