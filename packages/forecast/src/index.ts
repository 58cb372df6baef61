/** The demand engine (issue 3): pure functions from sales history and covariates to prep quantities. */
export {};
