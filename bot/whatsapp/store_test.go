package whatsapp

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"testing"

	"bpubot/flows/flowtest"
	"bpubot/models"
	"bpubot/models/modeltest"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"
)

var quiet = slog.New(slog.DiscardHandler)

// TestStoredDeviceSurvivesRestart saves a linked device in the session store, closes the
// database, opens it again as a restarted bpubot would, and finds the same device.
func TestStoredDeviceSurvivesRestart(t *testing.T) {
	for _, dialect := range modeltest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			cfg := modeltest.Config(t, dialect)
			db := modeltest.MustOpenConfig(t, cfg)
			st, err := OpenStore(ctx, db, quiet)
			if err != nil {
				t.Fatal(err)
			}
			dev, err := st.Device(ctx)
			if !errors.Is(err, ErrNotPaired) {
				t.Fatalf("fresh store: %v", err)
			}
			jid := types.NewADJID("6281234567890", 0, 7)
			dev.ID = &jid
			dev.PushName = "Mitra Ansor"
			dev.Account = &waAdv.ADVSignedDeviceIdentity{
				Details: []byte("details"), AccountSignature: bytes.Repeat([]byte{1}, 64),
				AccountSignatureKey: bytes.Repeat([]byte{2}, 32), DeviceSignature: bytes.Repeat([]byte{3}, 64),
			}
			if err := dev.Save(ctx); err != nil {
				t.Fatal(err)
			}
			identity := *dev.IdentityKey.Priv
			if err := models.Close(db); err != nil {
				t.Fatal(err)
			}

			db = modeltest.MustOpenConfig(t, cfg) // the restart
			st, err = OpenStore(ctx, db, quiet)
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.Device(ctx)
			if err != nil {
				t.Fatalf("after restart: %v", err)
			}
			if *got.ID != jid || got.PushName != "Mitra Ansor" || *got.IdentityKey.Priv != identity {
				t.Fatalf("after restart: %v %q", got.ID, got.PushName)
			}
			status, err := st.Status(ctx, flowtest.Start)
			if err != nil || status.Linked == nil || status.Linked.Phone != "+6281234567890" {
				t.Fatalf("status %+v %v", status.Linked, err)
			}
			if dialect == models.Postgres {
				assertTablesInOwnSchema(t, db)
			}
		})
	}
}

// TestStoreTablesStayInTheirSchema opens two stores in two schemas of one PostgreSQL database
// (two bpubots, or two tests): whatsmeow's version check, which does not name a schema, must
// not make the second skip creating its tables.
func TestStoreTablesStayInTheirSchema(t *testing.T) {
	if !hasPostgres() {
		t.Skip(modeltest.PostgresURLEnv + " not set")
	}
	ctx := context.Background()
	for range 2 {
		db := modeltest.MustOpen(t, models.Postgres)
		st, err := OpenStore(ctx, db, quiet)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Device(ctx); !errors.Is(err, ErrNotPaired) {
			t.Fatal(err)
		}
		assertTablesInOwnSchema(t, db)
	}
}

func assertTablesInOwnSchema(t *testing.T, db *models.DB) {
	t.Helper()
	tables := modeltest.Tables(t, db)
	for _, want := range []string{"whatsmeow_version", "whatsmeow_device", "whatsmeow_lid_map"} {
		if !slices.Contains(tables, want) {
			t.Fatalf("%s is not in the test's schema: %v", want, tables)
		}
	}
}

func hasPostgres() bool {
	for _, d := range modeltest.Dialects() {
		if d == models.Postgres {
			return true
		}
	}
	return false
}
