import { lazy, Suspense } from 'react';
import { Loading } from '../components/states.tsx';
import { useSessionState } from './context.tsx';

const ApprenticeHome = lazy(() => import('./homes/apprentice-home.tsx'));
const InstructorHome = lazy(() => import('../features/roll/routes/instructor-home.tsx'));
const CoordinatorHome = lazy(() => import('../features/dashboard/routes/coordinator-home.tsx'));
const StaffHome = lazy(() => import('./staff-home.tsx'));

/** `/` is each role's own Inicio (web.md §4): the Tablero for coordinador and admin, the areas for administrativo. */
export default function Home() {
  const { claims } = useSessionState();
  const role = claims?.role;
  const Page = role === 'aprendiz' ? ApprenticeHome : role === 'instructor' ? InstructorHome : role === 'coordinador' || role === 'admin' ? CoordinatorHome : StaffHome;
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}
