'use client';

import { Plus } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '@/components/ui/dialog';

/** The "New …" button of a catalog list, opening its create form in a dialog (the form navigates away on success). */
export function CatalogCreateDialog({ buttonLabel, title, description, children }: { buttonLabel: string; title: string; description: string; children: ReactNode }) {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button>
          <Plus aria-hidden className="size-4" />
          {buttonLabel}
        </Button>
      </DialogTrigger>
      {/* Long forms (an application: policy, address, the Open warning) scroll inside the dialog instead of off screen. */}
      <DialogContent title={title} description={description} className="max-h-[calc(100dvh-2rem)] max-w-lg overflow-y-auto">
        {children}
      </DialogContent>
    </Dialog>
  );
}
