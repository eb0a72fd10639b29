// Inline SVG icons: each decision has its own shape (circle + check, octagon + cross,
// triangle + bang) so the screen reads the same for a colour-blind cashier.
import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement>;

const base = { viewBox: '0 0 48 48', fill: 'none', stroke: 'currentColor', strokeWidth: 4, 'aria-hidden': true } as const;

export function ApprovedIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <circle cx="24" cy="24" r="20" />
      <path d="M14 25l7 7 13-15" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function DeclinedIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <path d="M16 4h16l12 12v16L32 44H16L4 32V16z" strokeLinejoin="round" />
      <path d="M17 17l14 14M31 17L17 31" strokeLinecap="round" />
    </svg>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <path d="M24 5L45 42H3z" strokeLinejoin="round" />
      <path d="M24 19v11M24 35v1" strokeLinecap="round" />
    </svg>
  );
}

export function PhoneIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="14" y="4" width="20" height="40" rx="4" />
      <path d="M21 38h6" strokeLinecap="round" />
    </svg>
  );
}

export function TapIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="6" y="10" width="18" height="32" rx="3" />
      <path d="M30 16a10 10 0 0 1 0 16M35 11a17 17 0 0 1 0 26M40 6a24 24 0 0 1 0 36" strokeLinecap="round" />
    </svg>
  );
}

export function ProcessingIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <circle cx="24" cy="24" r="19" opacity="0.25" />
      <path className="spin" d="M24 5a19 19 0 0 1 19 19" strokeLinecap="round" />
    </svg>
  );
}

export function RemoveIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="6" y="14" width="16" height="28" rx="3" />
      <path d="M28 24h16M38 17l7 7-7 7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function UnlockIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="10" y="22" width="28" height="22" rx="3" />
      <path d="M16 22v-7a8 8 0 0 1 15-4" strokeLinecap="round" />
      <path d="M24 30v6" strokeLinecap="round" />
    </svg>
  );
}

export function ClockIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <circle cx="24" cy="24" r="19" />
      <path d="M24 13v12l8 5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export function ReaderIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="6" y="18" width="36" height="22" rx="4" />
      <path d="M16 12a11 11 0 0 1 16 0M12 7a17 17 0 0 1 24 0" strokeLinecap="round" />
    </svg>
  );
}

export function NoReaderIcon(props: IconProps) {
  return (
    <svg {...base} {...props}>
      <rect x="6" y="18" width="36" height="22" rx="4" />
      <path d="M6 6l36 36" strokeLinecap="round" />
    </svg>
  );
}
