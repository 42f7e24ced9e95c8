'use client';

import { Children, cloneElement, isValidElement, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';
import { cn } from '@/lib/utils/cn';
import { Label } from './label';

type ControlProps = {
  maxLength?: number;
  value?: unknown;
  defaultValue?: unknown;
  onInput?: (event: FormEvent<HTMLInputElement | HTMLTextAreaElement>) => void;
};

/**
 * A label, one control, an optional description and an inline error, wired for assistive technology:
 * the control gets aria-describedby and aria-invalid; the error is announced.
 *
 * A control with `maxLength` gets a counter ("12/100") instead of the browser's limit: the browser would stop typing
 * and cut a pasted text without a word, so the attribute is taken off, the counter says how far over the text is,
 * and the server's schema (the same limit) refuses it with a field error. Nothing the person wrote is lost.
 */
export function Field({
  label,
  htmlFor,
  description,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  description?: string;
  error?: string;
  children: ReactNode;
}) {
  const control = Children.only(children);
  const props: ControlProps = isValidElement(control) ? (control.props as ControlProps) : {};
  const max = typeof props.maxLength === 'number' ? props.maxLength : undefined;
  const [typed, setTyped] = useState(() => String(props.value ?? props.defaultValue ?? '').length);
  const length = typeof props.value === 'string' ? props.value.length : typed;
  const over = max !== undefined && length > max;
  const descriptionId = description ? `${htmlFor}-description` : undefined;
  const counterId = max !== undefined ? `${htmlFor}-counter` : undefined;
  const errorId = error ? `${htmlFor}-error` : undefined;
  const describedBy = [descriptionId, counterId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="min-w-0 space-y-1.5">
      <Label htmlFor={htmlFor}>{label}</Label>
      {isValidElement(control)
        ? cloneElement(control as ReactElement<Record<string, unknown>>, {
            'aria-describedby': describedBy,
            'aria-invalid': error || over ? true : undefined,
            ...(max !== undefined
              ? {
                  maxLength: undefined,
                  onInput: (event: FormEvent<HTMLInputElement | HTMLTextAreaElement>) => {
                    props.onInput?.(event);
                    setTyped(event.currentTarget.value.length);
                  },
                }
              : {}),
          })
        : control}
      {(description || max !== undefined) && (
        <div className="flex items-start justify-between gap-3">
          {description ? (
            <p id={descriptionId} className="min-w-0 text-xs text-muted-foreground">
              {description}
            </p>
          ) : (
            <span />
          )}
          {max !== undefined && (
            <p id={counterId} className={cn('shrink-0 text-xs tabular-nums text-muted-foreground', over && 'font-medium text-destructive')}>
              <span className="sr-only">Characters used: </span>
              {length}/{max}
              {/* Said when it happens, not on every keystroke. */}
              <span aria-live="polite">{over ? ` — ${length - max} too many` : ''}</span>
            </p>
          )}
        </div>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
