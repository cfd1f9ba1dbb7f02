package main

import (
	"fmt"

	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newBackupCmd(root *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "Copy the SQLite database into a new file, while serve runs too (PostgreSQL: pg_dump)",
		Long: "backup writes a consistent copy of the SQLite database to FILE, readable by its owner only, without\n" +
			"stopping a running bpubot serve. It never overwrites: an existing FILE is refused. To restore, stop bpubot\n" +
			"and put the copy in place of database.path (README, Deploy). On PostgreSQL use pg_dump and pg_restore.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// Not migrated first: a backup copies the database as it is.
			return root.withUnmigrated(cmd, func(cfg Config, db *models.DB) error {
				if err := models.Backup(cmd.Context(), db, args[0]); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.backup_written", "file", args[0]))
				return nil
			})
		},
	}
}
