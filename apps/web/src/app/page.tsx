import { MarketList } from '../features/markets/market-list';

export default function HomePage() {
  return (
    <>
      <div className="page-header">
        <h1>Your markets</h1>
        <p className="page-header__lede">
          Where you sell, when each market runs and what it costs.
        </p>
      </div>
      <MarketList />
    </>
  );
}
