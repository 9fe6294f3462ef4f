import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider, type RouterHistory } from '@tanstack/react-router';
import { ApiError } from '../lib/errors.ts';
import { ServicesProvider, type AppServices } from './context.tsx';
import { createAppRouter } from './router.tsx';
import { useState } from 'react';
import { theme } from './theme.ts';

/** TanStack Query: retries for reads only, and never for a refusal the user must act on (4xx). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
        staleTime: 15_000,
        refetchOnWindowFocus: true,
      },
      mutations: { retry: false },
    },
  });
}

export function App({ services, queryClient, history }: { services: AppServices; queryClient: QueryClient; history?: RouterHistory }) {
  const [router] = useState(() => createAppRouter(services.session, history));
  return (
    <MantineProvider theme={theme}>
      <Notifications position="top-center" />
      <ServicesProvider value={services}>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </ServicesProvider>
    </MantineProvider>
  );
}
