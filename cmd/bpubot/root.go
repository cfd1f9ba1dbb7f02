package main

import (
	"os"

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
	)
	for _, add := range extraCommands {
		root.AddCommand(add(opts))
	}
	return root
}

func (o *rootOptions) load() (Config, error) {
	return LoadConfig(o.configPath, os.Getenv)
}
