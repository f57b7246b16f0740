using System.Device.Wifi;
using System.Threading;
using nanoFramework.Networking;

namespace KitchenButton.Firmware.Network
{
    /// <summary>Wi-Fi with DHCP; the adapter reconnects by itself after the first connection.</summary>
    internal sealed class WifiLink
    {
        private readonly string _ssid;
        private readonly string _password;

        public WifiLink(string ssid, string password)
        {
            _ssid = ssid;
            _password = password;
        }

        public string LastError { get; private set; } = string.Empty;

        /// <summary>Blocks until connected or the attempt times out.</summary>
        public bool Connect(int timeoutMs)
        {
            var cancel = new CancellationTokenSource(timeoutMs);

            // The clock is handled by ClockSync, with retries and a stored lower bound.
            bool ok = WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, requiresDateTime: false, token: cancel.Token);
            if (!ok)
            {
                LastError = "wifi: " + WifiNetworkHelper.Status.ToString();
                Log.Line(LastError);
            }
            else
            {
                Log.Line("wifi: connected to " + _ssid);
            }

            return ok;
        }

        /// <summary>The signal of our network from a fresh scan, or -127 when it cannot be seen.</summary>
        public int ReadRssi()
        {
            WifiAdapter? adapter = WifiNetworkHelper.WifiAdapter;
            if (adapter == null)
            {
                return -127;
            }

            int rssi = -127;
            foreach (WifiAvailableNetwork network in adapter.NetworkReport.AvailableNetworks)
            {
                // The native report pads SSIDs with NULs.
                if (network.Ssid.TrimEnd(new char[] { '\0' }) == _ssid)
                {
                    rssi = (int)network.NetworkRssiInDecibelMilliwatts;
                }
            }

            // Refresh for the next report; the scan completes in the background.
            try
            {
                adapter.ScanAsync();
            }
            catch (System.Exception)
            {
                // Busy connecting: the next report uses the previous scan.
            }

            return rssi;
        }
    }
}
