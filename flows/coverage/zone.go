package coverage

import (
	"time"

	"bpubot/flows/validate"
)

// Indonesia's three zones. None has daylight saving, so fixed offsets are exact and need no
// time zone database on the host.
var (
	WIB  = time.FixedZone("WIB", 7*60*60)  // Asia/Jakarta: Sumatra, Java, West and Central Kalimantan
	WITA = time.FixedZone("WITA", 8*60*60) // Asia/Makassar: Bali, Nusa Tenggara, the rest of Kalimantan, Sulawesi
	WIT  = time.FixedZone("WIT", 9*60*60)  // Asia/Jayapura: Maluku and Papua
)

var zones = map[string]*time.Location{"Asia/Jakarta": WIB, "Asia/Makassar": WITA, "Asia/Jayapura": WIT}

// Zone returns the time zone of a province, by its two-digit code (the first two digits of a
// NIK, as stored on the member). The province table in flows/validate says which zone each
// province keeps; an unknown or empty code gets WIB, the zone most workers live in.
func Zone(provinceCode string) *time.Location {
	if p, ok := validate.ProvinceByCode(provinceCode); ok {
		if z, ok := zones[p.TimeZone]; ok {
			return z
		}
	}
	return WIB
}
