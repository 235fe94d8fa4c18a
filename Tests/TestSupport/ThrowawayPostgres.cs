using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace VoiceAnalytics.TestSupport;

/// <summary>
/// A real PostgreSQL cluster for tests: <c>initdb</c> into a temp folder, started on a free loopback port, one
/// per test process (<see cref="Shared"/>), removed when the process exits. As root the server runs as the
/// <c>postgres</c> user, because Postgres refuses to run as root. Each test gets its own database from
/// <see cref="CreateDatabaseAsync"/>, so tests never see each other's rows.
/// </summary>
public sealed class ThrowawayPostgres : IAsyncDisposable
{
    private static readonly Lazy<Task<ThrowawayPostgres>> SharedInstance = new(() => StartAsync());
    private static int _databaseCounter;

    private readonly string _dataDir;
    private readonly string _binDir;

    private ThrowawayPostgres(string dataDir, string binDir, int port)
    {
        _dataDir = dataDir;
        _binDir = binDir;
        Port = port;
    }

    /// <summary>The cluster shared by every test in this process, started on first use.</summary>
    public static Task<ThrowawayPostgres> Shared => SharedInstance.Value;

    public int Port { get; }

    /// <summary>Connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Pooling = true,
            MaxPoolSize = 100,
            Timeout = 5,
        }.ConnectionString;

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts a new cluster (tests that stop and start Postgres want their own).</summary>
    public static async Task<ThrowawayPostgres> StartAsync()
    {
        var binDir = FindBinDir();
        await RemoveLeftoversAsync(binDir);
        var dataDir = Path.Combine(Path.GetTempPath(), $"va-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
        Directory.CreateDirectory(dataDir);
        if (RunsAsRoot)
        {
            await RunAsync("chown", $"postgres:postgres {dataDir}", asPostgres: false);
        }
        await RunAsync(Path.Combine(binDir, "initdb"),
            $"-D {dataDir}/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync", asPostgres: true);
        var server = new ThrowawayPostgres(dataDir, binDir, FreePort());
        await server.StartServerAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }

    /// <summary>Starts the server (again, after <see cref="StopServerAsync"/>) on the same port and data.</summary>
    public Task StartServerAsync() => RunAsync(Path.Combine(_binDir, "pg_ctl"),
        $"-D {_dataDir}/data -l {_dataDir}/server.log -w -t 30 " +
        $"-o \"-p {Port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c full_page_writes=off\" start",
        asPostgres: true);

    /// <summary>Stops the server at once, as a crash or an outage would.</summary>
    public Task StopServerAsync() => RunAsync(Path.Combine(_binDir, "pg_ctl"), $"-D {_dataDir}/data -m immediate -w stop", asPostgres: true);

    public async ValueTask DisposeAsync()
    {
        if (!Directory.Exists(_dataDir))
        {
            return;
        }
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(_dataDir, recursive: true);
    }

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// A test process that was killed cannot clean up after itself: remove clusters whose owning process is
    /// gone (the folder name carries its pid), stopping a server still running there first.
    /// </summary>
    private static async Task RemoveLeftoversAsync(string binDir)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "va-pg-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length < 4 || !int.TryParse(parts[2], out var pid) || IsAlive(pid))
            {
                continue;
            }
            try
            {
                if (File.Exists(Path.Combine(dir, "data", "postmaster.pid")))
                {
                    await RunAsync(Path.Combine(binDir, "pg_ctl"), $"-D {dir}/data -m immediate -w stop", asPostgres: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Not running: only the folder is left.
            }
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // Another test process is cleaning the same folder.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's folder.
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBinDir()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")))
            {
                return dir;
            }
        }
        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        return installed ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) not found: install postgresql (apt-get install postgresql) or put them on PATH.");
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres && RunsAsRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
