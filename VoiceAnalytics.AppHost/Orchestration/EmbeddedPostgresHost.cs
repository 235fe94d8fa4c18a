using System.Globalization;
using System.Security.Cryptography;
using VoiceAnalytics.AppHost.Model;

namespace VoiceAnalytics.AppHost.Orchestration;

/// <summary>
/// The machine's PostgreSQL server binaries, run in the foreground as a child (its log goes to the resource's
/// console), data in <c>&lt;data&gt;/cluster</c> and a generated password in <c>&lt;data&gt;/password</c>, both kept
/// between runs. Postgres refuses to run as root, so as root it runs as the <c>postgres</c> user.
/// </summary>
internal sealed class EmbeddedPostgresHost(PostgresServerResource server, string binDirectory, Action<string, bool> writeLine, Action<string> note)
    : IPostgresHost
{
    private const string ServiceUser = "postgres";

    private string Cluster => Path.Combine(server.DataDirectory, "cluster");

    public string Mode => "embedded";

    public IReadOnlyDictionary<string, string> Properties => new Dictionary<string, string>
    {
        ["mode"] = Mode,
        ["dataDirectory"] = server.DataDirectory,
        ["binaries"] = binDirectory,
    };

    public async Task<ManagedProcess?> StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(server.DataDirectory);
        server.Password = await ReadOrCreatePasswordAsync(cancellationToken);
        if (!File.Exists(Path.Combine(Cluster, "PG_VERSION")))
        {
            await InitializeClusterAsync(cancellationToken);
        }
        await RecoverFromEarlierRunAsync(cancellationToken);
        var port = server.TcpEndpoint.AllocatedPort!.Value.ToString(CultureInfo.InvariantCulture);
        var spec = new ProcessSpec(Path.Combine(binDirectory, "postgres"),
            ["-D", Cluster, "-p", port, "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
            server.DataDirectory, new Dictionary<string, string?>(), RunAsUser: ServiceUser, DeathSignal: "INT");
        return await ManagedProcess.StartAsync(spec, writeLine);
    }

    public async Task StopAsync(ManagedProcess? process)
    {
        if (process is null or { HasExited: true })
        {
            return;
        }
        // A fast shutdown: clients are disconnected, the data is checkpointed, postmaster.pid is removed.
        try
        {
            await RunAsync("pg_ctl", ["-D", Cluster, "stop", "-m", "fast", "-w", "-t", "3"], CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            note($"pg_ctl stop: {ex.Message}");
        }
        await process.WaitOrKillAsync(TimeSpan.FromSeconds(2));
    }

    private async Task<string> ReadOrCreatePasswordAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(server.DataDirectory, "password");
        if (File.Exists(path))
        {
            return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        if (File.Exists(Path.Combine(Cluster, "PG_VERSION")))
        {
            throw new AppHostSetupException(
                $"{path} is missing but the cluster in {Cluster} exists, so its password is unknown. Delete {server.DataDirectory} to start with a fresh database.");
        }
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllTextAsync(path, password, cancellationToken);
        OwnerOnly.Restrict(path);
        return password;
    }

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        note($"creating a new cluster in {Cluster}");
        if (Directory.Exists(Cluster))
        {
            Directory.Delete(Cluster, recursive: true); // no PG_VERSION: an initdb that did not finish
        }
        Directory.CreateDirectory(Cluster);
        OwnerOnly.Restrict(Cluster);
        // initdb reads the password from a file the server's user can read; it is deleted right after.
        var passwordFile = Path.Combine(server.DataDirectory, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, server.Password, cancellationToken);
        OwnerOnly.Restrict(passwordFile);
        try
        {
            if (Executables.RunsAsRoot)
            {
                await ChownAsync(Cluster, cancellationToken);
                await ChownAsync(passwordFile, cancellationToken);
            }
            await RunAsync("initdb", ["-D", Cluster, "-U", PostgresServerResource.UserName, "--auth=scram-sha-256",
                $"--pwfile={passwordFile}", "--encoding=UTF8", "--no-locale"], cancellationToken);
        }
        catch (InvalidOperationException ex) when (Executables.RunsAsRoot)
        {
            throw new AppHostSetupException(
                $"{ex.Message}. As root the server runs as '{ServiceUser}', which must be able to reach {server.DataDirectory}; " +
                "set AppHost__Postgres__DataDirectory to a folder it can reach (for example /var/tmp/voiceanalytics-postgres).");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// A run that was killed can leave its server running (setpriv missing) or a postmaster.pid behind. This AppHost
    /// holds the data folder's lock, so such a server is an orphan: stop it. A pid file whose process is gone (or is
    /// no longer a postgres) is removed, so the pid cannot be mistaken for a live server.
    /// </summary>
    private async Task RecoverFromEarlierRunAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(Cluster, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }
        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, CultureInfo.InvariantCulture, out var pid) && PosixProcesses.IsAlive(pid) && PosixProcesses.CommandName(pid) == "postgres")
        {
            note($"a server from an earlier run is still running (pid {pid}): stopping it");
            await RunAsync("pg_ctl", ["-D", Cluster, "stop", "-m", "fast", "-w", "-t", "10"], cancellationToken);
            return;
        }
        note("removing a stale postmaster.pid left by an earlier run");
        File.Delete(pidFile);
    }

    private Task RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync(
            new ProcessSpec(Path.Combine(binDirectory, program), arguments, server.DataDirectory, new Dictionary<string, string?>(), RunAsUser: ServiceUser),
            writeLine, cancellationToken);

    private Task ChownAsync(string path, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync(
            new ProcessSpec("chown", [$"{ServiceUser}:{ServiceUser}", path], server.DataDirectory, new Dictionary<string, string?>()),
            writeLine, cancellationToken);
}
