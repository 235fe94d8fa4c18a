using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// Postgres in a Docker/Podman container, in the foreground (its log goes to the resource's console), data in a
/// named volume and the password in <c>&lt;data&gt;/container-password</c>, both kept between runs. The container
/// name is derived from the data folder, so a container left by a killed run is replaced, not duplicated.
/// </summary>
internal sealed class ContainerPostgresHost(PostgresServerResource server, string runtime, Action<string, bool> writeLine, Action<string> note)
    : IPostgresHost
{
    private readonly string _name = "voiceanalytics-" + server.Name + "-" +
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(server.DataDirectory)))[..8];

    public string Mode => "container";

    public IReadOnlyDictionary<string, string> Properties => new Dictionary<string, string>
    {
        ["mode"] = Mode,
        ["runtime"] = runtime,
        ["image"] = server.ContainerImage,
        ["container"] = _name,
        ["volume"] = _name + "-data",
    };

    public async Task<ManagedProcess?> StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(server.DataDirectory);
        var passwordPath = Path.Combine(server.DataDirectory, "container-password");
        if (!File.Exists(passwordPath))
        {
            await File.WriteAllTextAsync(passwordPath, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken);
            OwnerOnly.Restrict(passwordPath);
        }
        server.Password = (await File.ReadAllTextAsync(passwordPath, cancellationToken)).Trim();
        await CommandRunner.RunAsync(Spec(["rm", "--force", _name]), (_, _) => { }, cancellationToken);
        note($"starting container {_name} from {server.ContainerImage}");
        var port = server.TcpEndpoint.AllocatedPort!.Value.ToString(CultureInfo.InvariantCulture);
        // The password reaches the container through the environment, never the command line (visible in ps).
        var run = Spec(["run", "--rm", "--name", _name, "-e", "POSTGRES_PASSWORD", "-p", $"127.0.0.1:{port}:5432",
            "-v", $"{_name}-data:/var/lib/postgresql/data", server.ContainerImage],
            new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = server.Password });
        return await ManagedProcess.StartAsync(run, writeLine);
    }

    public async Task StopAsync(ManagedProcess? process)
    {
        try
        {
            await CommandRunner.RunAsync(Spec(["stop", "--time", "5", _name]), writeLine, CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            note($"{runtime} stop: {ex.Message}");
        }
        if (process is not null)
        {
            await process.WaitOrKillAsync(TimeSpan.FromSeconds(2));
        }
    }

    private ProcessSpec Spec(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        new(runtime, arguments, server.DataDirectory, environment ?? new Dictionary<string, string?>());
}
