import { Search } from 'lucide-react';
import { Input } from '@/components/ui/input';
import { Button } from '@/components/ui/button';

/** A GET search form: the query lands in the URL, so results are shareable and the back button works. */
export function SearchForm({ action, defaultValue, label, placeholder }: { action: string; defaultValue?: string; label: string; placeholder?: string }) {
  return (
    <form action={action} method="get" role="search" className="flex max-w-md items-center gap-2">
      <label htmlFor="q" className="sr-only">
        {label}
      </label>
      <Input id="q" name="q" type="search" defaultValue={defaultValue} placeholder={placeholder} maxLength={200} />
      <Button type="submit" variant="secondary">
        <Search aria-hidden className="size-4" />
        Search
      </Button>
    </form>
  );
}
