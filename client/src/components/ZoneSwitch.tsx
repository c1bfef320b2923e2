import { setZoneMode, zoneMode, zoneName } from "../lib/time.ts";

/** Local time or UTC for every time in the dashboard; the choice is kept in this browser. */
export function ZoneSwitch() {
  const other = () => (zoneMode() === "utc" ? "local" : "utc");
  return (
    <button
      type="button"
      class="button ghost zone-switch"
      data-zone={zoneMode()}
      title={`Times are shown in ${zoneMode() === "utc" ? "UTC" : "your local time zone"}; click for ${other() === "utc" ? "UTC" : "local time"}`}
      onClick={() => setZoneMode(other())}
    >
      {zoneMode() === "utc" ? "UTC" : <><span class="zone-word">Local </span>({zoneName("local")})</>}
    </button>
  );
}
