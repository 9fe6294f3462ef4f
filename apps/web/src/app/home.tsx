import { lazy, Suspense } from 'react';
import { Loading } from '../components/states.tsx';
import { useSessionState } from './context.tsx';

const ApprenticeHome = lazy(() => import('../features/attendance/routes/apprentice-home.tsx'));
const InstructorHome = lazy(() => import('../features/roll/routes/instructor-home.tsx'));
const StaffHome = lazy(() => import('./staff-home.tsx'));

/** `/` is each role's own Inicio (web.md §4). */
export default function Home() {
  const { claims } = useSessionState();
  const Page = claims?.role === 'aprendiz' ? ApprenticeHome : claims?.role === 'instructor' ? InstructorHome : StaffHome;
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}
