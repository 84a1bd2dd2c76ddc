package collector

// BudgetIdle reports whether l's whole HTTP budget is free: no request holds any of it.
func BudgetIdle(l *Listener) bool {
	if !l.budget.TryAcquire(l.cfg.HTTPBudget) {
		return false
	}
	l.budget.Release(l.cfg.HTTPBudget)
	return true
}
