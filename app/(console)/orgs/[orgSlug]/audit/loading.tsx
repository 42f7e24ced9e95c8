import { ListSkeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return <ListSkeleton label="the audit log" columns={4} />;
}
