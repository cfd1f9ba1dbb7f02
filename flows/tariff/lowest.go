package tariff

import "time"

// Lowest is the least a worker can pay for the month of month (Jakarta calendar): the minimum
// package at the lowest declared income, for whichever occupation a discount takes most off.
// Total+Discount is that month's premium before any discount. Posters and leaflets quote it as
// "from Rp… a month".
func (t *Tariff) Lowest(month time.Time) (Quote, error) {
	p := Participant{Income: t.minIncome, Package: PackageJKKJKM}
	best, err := t.quote(p, MonthOf(month))
	if err != nil {
		return Quote{}, err
	}
	for _, occ := range t.occupationOrder {
		p.Occupation = occ
		q, err := t.quote(p, MonthOf(month))
		if err != nil {
			return Quote{}, err
		}
		if q.Total < best.Total {
			best = q
		}
	}
	return best, nil
}
