"""One module per question a command asks of a scenario or a plan: check a roster, explain an
infeasible scenario (`explain`) or a pair (`why`), re-plan from the plan in force, compare two
plans, sweep a grid of variants, the trade-off between two objectives (`pareto`), and where a
command's plan comes from, a file or a solve (`sources`, `report_inputs`)."""
