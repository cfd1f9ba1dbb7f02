package main

import (
	"fmt"

	"bpubot/locales"
	"bpubot/models"

	"github.com/spf13/cobra"
)

func newMigrateCmd(root *rootOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations (also done automatically at start)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, db, _, err := root.openDB(cmd)
			if err != nil {
				return err
			}
			defer models.Close(db)
			var n int64
			if err := db.Raw("SELECT COUNT(*) FROM schema_migrations").Scan(&n).Error; err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), locales.Text(cfg.Conversation.DefaultLang, "staff.migrated", "n", n, "driver", cfg.Database.Driver))
			return nil
		},
	}
}
