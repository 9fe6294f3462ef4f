import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { createMemoryHistory, createRootRoute, createRoute, createRouter, Outlet, RouterProvider } from '@tanstack/react-router';
import type { ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Citation } from '../src/features/assistant/api/assistant.ts';
import { AnswerText, Citations, withoutSourcesBlock } from '../src/features/assistant/components/answer.tsx';
import { renderUi } from './helpers.tsx';

/** The component under a router with `/ayuda/$slug`, so citation links resolve and can be followed. */
function renderRouted(ui: ReactElement) {
  const root = createRootRoute({ component: Outlet });
  const home = createRoute({ getParentRoute: () => root, path: '/', component: () => ui });
  const article = createRoute({ getParentRoute: () => root, path: '/ayuda/$slug', component: () => <h1>Artículo abierto</h1> });
  const router = createRouter({ routeTree: root.addChildren([home, article]), history: createMemoryHistory({ initialEntries: ['/'] }) });
  renderUi(<RouterProvider router={router} />);
  return router;
}

const cite = (n: number, slug: string, title: string, cited = true): Citation => ({
  n,
  item_id: `id-${slug}`,
  item_slug: slug,
  item_title: title,
  item_kind: 'regulation',
  source_reference: `Reglamento del Aprendiz, Artículo ${n}`,
  passage_id: `p${n}`,
  heading: null,
  excerpt: 'fragmento',
  score: 0.8,
  cited,
});

const EXTRACTIVE = [
  '**Respuesta extractiva** — no hay un modelo de lenguaje configurado; estos son los fragmentos más pertinentes de la base de conocimiento:',
  '- Las faltas gravísimas afectan la convivencia [1]',
  '- El comité decide la medida [2]',
  'Fuentes:',
  '[1] Faltas académicas y disciplinarias — Reglamento del Aprendiz, Artículo 12',
  '[2] Comité de Evaluación y Seguimiento — Reglamento del Aprendiz, Artículo 30',
  'Si tu caso es particular, consulta con la coordinación académica de tu centro.',
].join('\n');

afterEach(cleanup);

describe('citations in assistant answers', () => {
  it('when an extractive answer cites [1] and [2], then each marker links to its article, the text "Fuentes:" block is replaced by the linked list and the marker stays bold', async () => {
    const citations = [cite(1, 'faltas-academicas', 'Faltas académicas y disciplinarias'), cite(2, 'comite-de-evaluacion', 'Comité de Evaluación y Seguimiento')];
    renderRouted(
      <>
        <AnswerText content={EXTRACTIVE} citations={citations} />
        <Citations citations={citations} />
      </>,
    );
    const one = await screen.findByRole('link', { name: 'Fuente 1: Faltas académicas y disciplinarias' });
    expect(one.getAttribute('href')).toBe('/ayuda/faltas-academicas');
    expect(one.textContent).toBe('[1]');
    expect(screen.getByRole('link', { name: 'Fuente 2: Comité de Evaluación y Seguimiento' }).getAttribute('href')).toBe('/ayuda/comite-de-evaluacion');
    expect(screen.getByText('Respuesta extractiva').tagName).toBe('STRONG');
    expect(screen.queryByText('Fuentes:')).toBeNull();
    expect(screen.getByText(/Si tu caso es particular/)).toBeTruthy();
    const sources = within(screen.getByRole('region', { name: 'Fuentes citadas' }));
    expect(sources.getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['Faltas académicas y disciplinarias', '/ayuda/faltas-academicas'],
      ['Comité de Evaluación y Seguimiento', '/ayuda/comite-de-evaluacion'],
    ]);
  });

  it('when a marker has no citation, a citation was not used, or two passages share an article, then only real sources link and the article is listed once', async () => {
    const citations = [cite(1, 'derechos', 'Derechos del aprendiz'), cite(2, 'derechos', 'Derechos del aprendiz'), cite(3, 'deberes', 'Deberes del aprendiz', false)];
    renderRouted(
      <>
        <AnswerText content="Tiene derecho al debido proceso [1][2], según [9]." citations={citations} />
        <Citations citations={citations} />
      </>,
    );
    await screen.findByRole('link', { name: 'Fuente 1: Derechos del aprendiz' });
    expect(screen.getByRole('link', { name: 'Fuente 2: Derechos del aprendiz' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: /Fuente 9/ })).toBeNull();
    expect(screen.getByText(/según \[9\]\./)).toBeTruthy();
    const sources = within(screen.getByRole('region', { name: 'Fuentes citadas' }));
    expect(sources.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['[1, 2] Derechos del aprendiz — Reglamento del Aprendiz, Artículo 1']);
    expect(screen.queryByText('Deberes del aprendiz')).toBeNull();
  });

  it('when a citation link is followed, then the router opens /ayuda/:slug', async () => {
    const router = renderRouted(<Citations citations={[cite(1, 'faltas-academicas', 'Faltas académicas y disciplinarias')]} />);
    fireEvent.click(await screen.findByRole('link', { name: 'Faltas académicas y disciplinarias' }));
    await screen.findByRole('heading', { name: 'Artículo abierto' });
    await waitFor(() => expect(router.state.location.pathname).toBe('/ayuda/faltas-academicas'));
  });

  it('when the answer text holds markup, then it is shown as text and never becomes HTML', async () => {
    renderRouted(<AnswerText content={'<img src=x onerror="alert(1)"> y <script>alert(2)</script> [1]'} citations={[cite(1, 'a', 'A')]} />);
    await screen.findByRole('link', { name: 'Fuente 1: A' });
    expect(document.querySelector('img, script')).toBeNull();
    expect(screen.getByText(/<img src=x onerror="alert\(1\)">/)).toBeTruthy();
  });

  it('when a cut excerpt leaves a lone **, then it is not shown and does not bold the rest', async () => {
    renderRouted(<AnswerText content={'- Falta académica** es el incumplimiento de los compromisos de aprendizaje [1]'} citations={[cite(1, 'a', 'A')]} />);
    await screen.findByRole('link', { name: 'Fuente 1: A' });
    expect(screen.getByRole('listitem').textContent).toBe('Falta académica es el incumplimiento de los compromisos de aprendizaje [1]');
    expect(document.querySelector('strong')).toBeNull();
  });

  it('when there are no sources lines, then the text is unchanged', () => {
    expect(withoutSourcesBlock('Hola\nmundo')).toBe('Hola\nmundo');
    expect(withoutSourcesBlock('A\nFuentes:\n[1] x\n[2] y\nFin')).toBe('A\nFin');
  });
});
