using System.Net;
using System.Net.Sockets;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>Picks ports for a run: fixed ones are checked to be free (a clear error beats a crash loop), others are free loopback ports.</summary>
internal sealed class PortAllocator
{
    private readonly HashSet<int> _handedOut = [];

    public int Allocate(int? requested, string bindAddress, string owner)
    {
        if (requested is > 0 and var port)
        {
            if (!IsFree(IPAddress.Parse(bindAddress), port))
            {
                throw new AppHostSetupException(
                    $"Port {port} for {owner} is already in use. Stop whatever listens there (ss -ltnp 'sport = :{port}') or configure another port.");
            }
            _handedOut.Add(port);
            return port;
        }
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var free = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (_handedOut.Add(free))
            {
                return free;
            }
        }
    }

    private static bool IsFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
