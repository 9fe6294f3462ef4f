import { ALL, child, gated } from '../route-base.tsx';

/** The inbox, for every role (notification I1–I9). */
export const routes = [child('/notificaciones', gated(ALL, () => import('../../features/notifications/routes/inbox.tsx')))] as const;
