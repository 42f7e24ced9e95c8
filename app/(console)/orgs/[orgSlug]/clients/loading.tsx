import { ListSkeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return <ListSkeleton label="M2M clients" columns={4} />;
}
