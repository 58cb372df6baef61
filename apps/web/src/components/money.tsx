import { formatMoney } from '../lib/format';

/** An amount of money from integer minor units (cents): `<Money minor={450} />` reads "$4.50". */
export function Money({ minor, currency = 'USD' }: { minor: number; currency?: string }) {
  return <span className="money">{formatMoney(minor, currency)}</span>;
}
