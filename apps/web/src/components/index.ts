/**
 * Shared UI of the web app. Props are stable: screens of every area build on these.
 */
export { AppLink } from './app-link';
export { Button, ButtonLink, type ButtonProps, type ButtonVariant } from './button';
export { Dialog } from './dialog';
export { EmptyState } from './empty-state';
export { ErrorState, ForbiddenState } from './error-state';
export { Field, FormError, SelectField, type FieldProps, type SelectFieldProps } from './field';
export { LoadingSkeleton } from './loading-skeleton';
export { Money } from './money';
export { RequireRole } from './require-role';
export { Stepper, type StepperProps } from './stepper';
