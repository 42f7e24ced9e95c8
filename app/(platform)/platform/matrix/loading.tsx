import { MatrixSkeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return <MatrixSkeleton label="the access matrix" />;
}
