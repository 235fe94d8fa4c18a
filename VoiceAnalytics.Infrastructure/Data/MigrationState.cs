namespace VoiceAnalytics.Infrastructure.Data;

/// <summary>Whether this process has seen its schema fully migrated; workers wait for it before they start.</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsMigrated => _migrated.Task.IsCompleted;

    public void MarkMigrated() => _migrated.TrySetResult();

    /// <summary>Completes once the migrations are applied.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _migrated.Task.WaitAsync(cancellationToken);
}
