package main

import (
	"log/slog"
	"os"

	"bpubot/models"

	"github.com/spf13/cobra"
)

// extraCommands are added by files of optional parts (a channel's own commands) in init.
var extraCommands []func(*rootOptions) *cobra.Command

type rootOptions struct {
	configPath string
}

func newRootCmd() *cobra.Command {
	opts := &rootOptions{}
	root := &cobra.Command{
		Use:           "bpubot",
		Short:         "BPJS Ketenagakerjaan sign-up and help for informal workers, over chat",
		Long:          "bpubot walks informal workers through BPJS Ketenagakerjaan BPU sign-up and answers their questions on WhatsApp, Telegram and the console.\n\nWith no --config the defaults run on SQLite (bpubot.db in the working directory).",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&opts.configPath, "config", os.Getenv("BPUBOT_CONFIG"), "path to a YAML config file (see config.example.yaml); optional")
	root.AddCommand(
		newChatCmd(opts),
		newMigrateCmd(opts),
		newExportCmd(opts),
		newServeCmd(opts),
		newClassifyCmd(),
		newHandoffsCmd(opts),
		newPartnersCmd(opts),
		newPremiumCmd(opts),
		newBackupCmd(opts),
		newHealthcheckCmd(opts),
		newPaymentsCmd(opts),
		newArrearsCmd(opts),
		newStaffCmd(opts),
		newBroadcastCmd(opts),
	)
	for _, add := range extraCommands {
		root.AddCommand(add(opts))
	}
	return root
}

func (o *rootOptions) load() (Config, error) {
	return LoadConfig(o.configPath, os.Getenv)
}

// openDB loads the config and opens (and migrates) its database, for commands that need only
// the data; logs go to stderr. Close the database when done.
func (o *rootOptions) openDB(cmd *cobra.Command) (Config, *models.DB, *slog.Logger, error) {
	cfg, err := o.load()
	if err != nil {
		return cfg, nil, nil, err
	}
	log := newLogger(cfg.Log, os.Stderr)
	db, err := openDB(cmd.Context(), cfg, log)
	return cfg, db, log, err
}

// withUnmigrated runs fn on the database, opened without migrating it, for the migrate
// command itself.
func (o *rootOptions) withUnmigrated(cmd *cobra.Command, fn func(Config, *models.DB) error) error {
	cfg, err := o.load()
	if err != nil {
		return err
	}
	db, err := models.Open(cmd.Context(), dbConfig(cfg))
	if err != nil {
		return err
	}
	defer models.Close(db)
	return fn(cfg, db)
}
