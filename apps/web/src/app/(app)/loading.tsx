import { LoadingSkeleton } from '../../components/loading-skeleton';

/** Shown inside the shell while a screen loads. */
export default function AppLoading() {
  return <LoadingSkeleton />;
}
