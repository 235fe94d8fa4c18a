using System.Text.Json;

namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// A development key file: read when it exists, otherwise created once, owner-only (0600), with what
/// <c>create</c> makes. Several processes may start at once on one machine; they must all end up with the same
/// keys (or data encrypted, or tokens signed, by one would not open in another), so the first to create the file
/// wins and the others read it, waiting briefly while it is being written.
/// </summary>
public static class DevelopmentKeyFile
{
    private const int Attempts = 20;
    private static readonly TimeSpan WriterWait = TimeSpan.FromMilliseconds(50);

    public static T LoadOrCreate<T>(string path, Func<T> create) where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                try
                {
                    return JsonSerializer.Deserialize<T>(File.ReadAllText(path))
                        ?? throw new InvalidOperationException($"Development key file {path} is empty.");
                }
                catch (JsonException) when (attempt < Attempts)
                {
                    Thread.Sleep(WriterWait); // another process is writing it right now
                    continue;
                }
            }
            var created = create();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // readable by this user only
                }
                using var stream = new FileStream(path, options);
                JsonSerializer.Serialize(stream, created);
                return created;
            }
            catch (IOException) when (File.Exists(path) && attempt < Attempts)
            {
                // Another process created it first: use theirs.
            }
        }
    }
}
