package main

import (
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newMigrateCmd(root *rootOptions) *cobra.Command {
	// Each subcommand opens the database without migrating it first: status must show what is
	// pending, down-to must not apply what it is about to undo.
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (also done automatically at start); see or undo them",
		Long: "bpubot migrate (or migrate up) applies every migration the database does not have yet; every bpubot\n" +
			"command does that at start too. migrate status lists them; migrate down-to N undoes every migration\n" +
			"after N, newest first (0 undoes them all: the data goes with the tables).",
		Args: cobra.NoArgs,
	}
	up := &cobra.Command{
		Use:   "up",
		Short: "Apply every migration the database does not have yet",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return root.withUnmigrated(cmd, func(cfg Config, db *models.DB) error {
				applied, err := migrateAll(cmd.Context(), db)
				for _, name := range applied {
					fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.migration_up", "name", name))
				}
				if err != nil {
					return err
				}
				return printVersion(cmd, cfg, db)
			})
		},
	}
	cmd.RunE = up.RunE
	status := &cobra.Command{
		Use:   "status",
		Short: "List the migrations, applied and pending",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return root.withUnmigrated(cmd, func(cfg Config, db *models.DB) error {
				list, err := models.MigrationStatus(cmd.Context(), db)
				if err != nil {
					return err
				}
				return printMigrations(cmd.OutOrStdout(), cfg.Conversation.DefaultLang, list, cfg.Conversation.location())
			})
		},
	}
	downTo := &cobra.Command{
		Use:   "down-to N",
		Short: "Undo every migration after N, newest first (0 undoes all of them, and the data with them)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			v, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || v < 0 {
				return fmt.Errorf("down-to: %q is not a migration number (see bpubot migrate status)", args[0])
			}
			return root.withUnmigrated(cmd, func(cfg Config, db *models.DB) error {
				undone, err := models.MigrateDownTo(cmd.Context(), db, v)
				for _, name := range undone {
					fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.migration_down", "name", name))
				}
				if err != nil {
					return err
				}
				return printVersion(cmd, cfg, db)
			})
		},
	}
	cmd.AddCommand(up, status, downTo)
	return cmd
}

// printVersion says which migration the database is at now.
func printVersion(cmd *cobra.Command, cfg Config, db *models.DB) error {
	list, err := models.MigrationStatus(cmd.Context(), db)
	if err != nil {
		return err
	}
	var at int64
	for _, m := range list {
		if m.Applied {
			at = m.Version
		}
	}
	fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.migrated", "n", at, "driver", cfg.Database.Driver))
	return nil
}

func printMigrations(out io.Writer, lang string, list []models.MigrationState, loc *time.Location) error {
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, locales.Text(lang, "staff.migrations_header"))
	for _, m := range list {
		applied := locales.Text(lang, "staff.migration_pending")
		if m.Applied {
			applied = m.AppliedAt.In(loc).Format("2006-01-02 15:04")
		}
		fmt.Fprintf(w, "%d\t%s\t%s\n", m.Version, m.Name, applied)
	}
	return w.Flush()
}
