using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using VoiceAnalytics.Gateway.Audit;
using VoiceAnalytics.Gateway.Privacy;

namespace VoiceAnalytics.Gateway.Tests.Support;

/// <summary>
/// The audit trail, its verifier and checkpoint store on a fresh migrated database, with a chain key and a
/// checkpoint file of their own, for tests that need no running gateway.
/// </summary>
internal sealed class AuditChain : IAsyncDisposable
{
    private readonly string _folder;

    private AuditChain(NpgsqlDataSource db, string folder, TimeProvider clock, int auditDays)
    {
        Db = db;
        _folder = folder;
        Key = new AuditChainKey(RandomNumberGenerator.GetBytes(32));
        Trail = new AuditTrail(db, Key, clock);
        Checkpoints = new AuditCheckpointStore(db, Key, Options.Create(new AuditOptions { CheckpointDirectory = CheckpointDirectory }),
            NullLogger<AuditCheckpointStore>.Instance);
        Verifier = new AuditChainVerifier(db, Key, Checkpoints, Options.Create(new RetentionOptions { AuditDays = auditDays }), clock);
    }

    public NpgsqlDataSource Db { get; }

    public AuditChainKey Key { get; }

    public AuditTrail Trail { get; }

    public AuditCheckpointStore Checkpoints { get; }

    public AuditChainVerifier Verifier { get; }

    public string CheckpointDirectory => Path.Combine(_folder, "audit-checkpoints");

    public static async Task<AuditChain> CreateAsync(TimeProvider? clock = null, int auditDays = 7 * 365 + 2)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"va-audit-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return new AuditChain(await AdminDatabase.CreateMigratedAsync(), folder, clock ?? TimeProvider.System, auditDays);
    }

    public Task ExecuteAsync(string sql) => AdminDatabase.ExecuteAsync(Db, sql);

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
