using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using System.Security.Cryptography;

namespace VoiceAnalytics.AppHost;

/// <summary>
/// The folder kept between runs (Postgres cluster, generated secrets, the CRM's Markdown mirror): configured by
/// <c>AppHost:DataDirectory</c>, else <c>.data/</c> at the repository root. One AppHost at a time owns it: the
/// lock is taken when the model is built, so a second AppHost on the same folder fails at once.
/// </summary>
public sealed class DataFolder : IHostedService, IDisposable
{
    public const string ConfigurationKey = "AppHost:DataDirectory";

    private readonly FileStream _lock;

    private DataFolder(string path, FileStream lockFile)
    {
        Path = path;
        _lock = lockFile;
    }

    public string Path { get; }

    public static DataFolder Acquire(IDistributedApplicationBuilder builder)
    {
        var path = System.IO.Path.GetFullPath(builder.Configuration[ConfigurationKey] is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(builder.AppHostDirectory, "..", ".data"));
        Directory.CreateDirectory(path);
        if (Environment.IsPrivilegedProcess)
        {
            // The server runs as the postgres user, which must be able to reach its cluster inside this folder.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: released by the kernel when this process ends.
            lockFile = new FileStream(System.IO.Path.Combine(path, "apphost.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Another AppHost is already running on the data folder '{path}'. Stop it, or choose another folder with {ConfigurationKey.Replace(":", "__", StringComparison.Ordinal)}=<path>.");
        }
        var folder = new DataFolder(path, lockFile);
        builder.Services.AddHostedService(_ => folder); // created by the container, so disposed (lock released) with the application
        return folder;
    }

    public string PathOf(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A random secret generated on first use and kept in the folder (readable by its owner only).</summary>
    public string Secret(string name, int bytes = 24)
    {
        var file = PathOf("secrets", name);
        if (File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } existing)
        {
            return existing;
        }
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var value = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
        File.WriteAllText(file, value);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return value;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _lock.Dispose();
}
