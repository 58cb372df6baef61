import type { ButtonHTMLAttributes, ReactNode } from 'react';

import { AppLink } from './app-link';

/** How a button looks: one primary action per screen, the rest secondary. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'link';

function buttonClass(variant: ButtonVariant, className: string | undefined): string {
  const base = variant === 'primary' ? 'button' : `button button--${variant}`;
  return className ? `${base} ${className}` : base;
}

/** Props of {@link Button}: a native button plus a variant and a busy state. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  /** While true the button is disabled and shows `busyLabel` (a request is on its way). */
  busy?: boolean;
  /** Label while busy (default: the children). */
  busyLabel?: ReactNode;
}

/** A button with a 44 px touch target; `type="button"` unless told otherwise. */
export function Button({
  variant = 'primary',
  busy = false,
  busyLabel,
  className,
  type = 'button',
  disabled,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={buttonClass(variant, className)}
      disabled={disabled === true || busy}
      aria-busy={busy || undefined}
    >
      {busy && busyLabel !== undefined ? busyLabel : children}
    </button>
  );
}

/** A link that looks like a button (navigation, not an action). */
export function ButtonLink({
  href,
  variant = 'primary',
  className,
  children,
}: {
  href: string;
  variant?: ButtonVariant;
  className?: string;
  children: ReactNode;
}) {
  return (
    <AppLink href={href} className={buttonClass(variant, className)}>
      {children}
    </AppLink>
  );
}
