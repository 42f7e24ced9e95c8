'use client';

import { useRouter } from 'next/navigation';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/**
 * The platform's charts (Recharts, ADR 0009). Each is drawn for sighted mouse users; the same figures are in the
 * table under each chart (ChartCard), which is what keyboards and screen readers use, so the SVG is aria-hidden.
 * Bars that stand for an org open its detail page on click; the table's links do the same for everyone.
 */

const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#64748b'];
const OTHER_COLOR = '#94a3b8';
const HEIGHT = 260;

const shortDay = (day: string) => day.slice(5);
const tick = { fontSize: 12 };

export interface StackSeries {
  key: string;
  label: string;
  href?: string;
}

export function StackedBars({ days, series }: { days: { day: string; values: Record<string, number> }[]; series: StackSeries[] }) {
  const router = useRouter();
  const data = days.map((d) => ({ day: d.day, ...d.values }));
  return (
    <div aria-hidden className="h-[260px] w-full">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={tick} minTickGap={16} />
          <YAxis tick={tick} allowDecimals={false} width={56} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="a"
              fill={s.key === 'other' ? OTHER_COLOR : PALETTE[i % PALETTE.length]}
              cursor={s.href ? 'pointer' : undefined}
              onClick={s.href ? () => router.push(s.href!) : undefined}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function Lines({ data, lines }: { data: Record<string, string | number>[]; lines: { key: string; label: string; axis?: 'left' | 'right' }[] }) {
  const right = lines.some((l) => l.axis === 'right');
  return (
    <div aria-hidden className="h-[260px] w-full">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <LineChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={tick} minTickGap={16} />
          <YAxis yAxisId="left" tick={tick} allowDecimals={false} width={56} />
          {right && <YAxis yAxisId="right" orientation="right" tick={tick} allowDecimals={false} width={64} />}
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {lines.map((l, i) => (
            <Line key={l.key} yAxisId={l.axis ?? 'left'} dataKey={l.key} name={l.label} stroke={PALETTE[i % PALETTE.length]} dot={false} strokeWidth={2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function GroupedBars({ data, bars }: { data: Record<string, string | number>[]; bars: { key: string; label: string }[] }) {
  return (
    <div aria-hidden className="h-[260px] w-full">
      <ResponsiveContainer width="100%" height={HEIGHT}>
        <BarChart accessibilityLayer={false} data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={tick} minTickGap={16} />
          <YAxis tick={tick} allowDecimals={false} width={56} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {bars.map((b, i) => (
            <Bar key={b.key} dataKey={b.key} name={b.label} fill={PALETTE[i % PALETTE.length]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function HorizontalBars({ data, label }: { data: { name: string; value: number }[]; label: string }) {
  return (
    <div aria-hidden className="w-full" style={{ height: Math.max(120, data.length * 28 + 40) }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tick={tick} allowDecimals={false} />
          <YAxis type="category" dataKey="name" tick={tick} width={120} />
          <Tooltip />
          <Bar dataKey="value" name={label} fill={PALETTE[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
