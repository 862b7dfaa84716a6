import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatTokens, formatUsd } from '../format';
import type { Bucket } from '../usage/aggregate';

const PALETTE = [
  'var(--chart-1)',
  'var(--chart-2)',
  'var(--chart-3)',
  'var(--chart-4)',
  'var(--chart-5)',
  'var(--chart-6)',
];
const axis = { stroke: 'var(--text-muted)', fontSize: 12 };
const tooltipStyle = {
  background: 'var(--surface)',
  border: '1px solid var(--border)',
  borderRadius: 8,
  color: 'var(--text)',
};
const usd = (v: unknown) => formatUsd(Number(v));

export function CostPerDayChart({ data }: { data: readonly Bucket[] }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data as Bucket[]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="key" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis tick={axis} tickFormatter={usd} width={70} />
        <Tooltip contentStyle={tooltipStyle} formatter={usd} />
        <Line
          type="monotone"
          dataKey="costUsd"
          name="Cost"
          stroke="var(--chart-1)"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function TokensPerDayChart({ data }: { data: readonly Bucket[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <BarChart data={data as Bucket[]} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
        <XAxis dataKey="key" tick={axis} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis tick={axis} tickFormatter={(v: number) => formatTokens(v)} width={60} />
        <Tooltip contentStyle={tooltipStyle} formatter={(v) => formatTokens(Number(v))} />
        <Legend />
        <Bar
          dataKey="inputTokens"
          name="Input tokens"
          stackId="t"
          fill="var(--chart-2)"
          isAnimationActive={false}
        />
        <Bar
          dataKey="outputTokens"
          name="Output tokens"
          stackId="t"
          fill="var(--chart-3)"
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CostByKeyChart({ data }: { data: readonly Bucket[] }) {
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 36 + 40)}>
      <BarChart
        data={data as Bucket[]}
        layout="vertical"
        margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
      >
        <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" tick={axis} tickFormatter={usd} />
        <YAxis type="category" dataKey="key" tick={axis} width={120} />
        <Tooltip contentStyle={tooltipStyle} formatter={usd} />
        <Bar dataKey="costUsd" name="Cost" isAnimationActive={false}>
          {data.map((_, i) => (
            <Cell key={i} fill={PALETTE[i % PALETTE.length]} />
          ))}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CostShareChart({ data }: { data: readonly Bucket[] }) {
  return (
    <ResponsiveContainer width="100%" height={220}>
      <PieChart>
        <Pie
          data={data as Bucket[]}
          dataKey="costUsd"
          nameKey="key"
          innerRadius={50}
          outerRadius={85}
          isAnimationActive={false}
        >
          {data.map((_, i) => (
            <Cell key={i} fill={PALETTE[i % PALETTE.length]} />
          ))}
        </Pie>
        <Tooltip contentStyle={tooltipStyle} formatter={usd} />
        <Legend />
      </PieChart>
    </ResponsiveContainer>
  );
}
