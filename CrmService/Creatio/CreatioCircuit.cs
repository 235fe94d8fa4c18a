using Microsoft.Extensions.Options;

namespace VoiceAnalytics.CrmService.Creatio;

/// <summary>
/// The state of the circuit breaker in front of Creatio: opens after <c>FailureThreshold</c> consecutive failed
/// calls, refuses calls for <c>BreakDuration</c>, then lets <c>HalfOpenProbes</c> calls through at once and
/// closes after <c>SuccessesToClose</c> of them succeed; a failed probe opens it again. Polly's own breaker
/// counts a failure ratio over a sampling window and lets a single probe through, so this state lives here and
/// <see cref="CreatioCircuitStrategy"/> plugs it into the Polly pipeline. One per process: a replica learns of
/// an outage from its own calls. Time comes from <see cref="TimeProvider"/>, so tests move the clock.
/// </summary>
public sealed class CreatioCircuit(IOptions<CrmOptions> options, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly CircuitBreakerOptions _settings = options.Value.Breaker;
    private CircuitState _state = CircuitState.Closed;
    private long _generation;
    private int _consecutiveFailures;
    private DateTimeOffset? _openedAt;
    private int _probesInFlight;
    private int _probeSuccesses;

    /// <summary>Raised (outside the lock) after every state change.</summary>
    public event Action<CircuitState>? StateChanged;

    /// <summary>
    /// Takes a slot for one call, or says how long to wait. The permit ties the call's verdict to the state it
    /// started in, so a call that started before the breaker opened cannot move the new state.
    /// </summary>
    internal bool TryEnter(out Permit permit, out TimeSpan retryAfter)
    {
        bool allowed;
        CircuitState? changed;
        lock (_gate)
        {
            changed = HalfOpenIfDue();
            var probe = _state == CircuitState.HalfOpen;
            allowed = _state == CircuitState.Closed || (probe && _probesInFlight < _settings.HalfOpenProbes);
            _probesInFlight += allowed && probe ? 1 : 0;
            permit = new Permit(_generation, probe);
            retryAfter = allowed ? TimeSpan.Zero
                : _state == CircuitState.Open ? _openedAt!.Value + _settings.BreakDuration - time.GetUtcNow()
                : _settings.HalfOpenBusyRetryAfter;
        }
        Notify(changed);
        return allowed;
    }

    /// <summary>When the breaker is open: how long until it lets probes through; otherwise null.</summary>
    public TimeSpan? OpenFor()
    {
        var snapshot = Snapshot();
        return snapshot.RetryAt is { } at ? at - time.GetUtcNow() : null;
    }

    /// <summary>Records the verdict of an entered call; <paramref name="succeeded"/> null (cancelled) gives a probe slot back.</summary>
    internal void Exit(Permit permit, bool? succeeded)
    {
        CircuitState? changed = null;
        lock (_gate)
        {
            if (permit.Generation != _generation)
            {
                return;
            }
            if (permit.Probe)
            {
                _probesInFlight--;
            }
            switch (succeeded)
            {
                case true when permit.Probe:
                    changed = ++_probeSuccesses >= _settings.SuccessesToClose ? MoveTo(CircuitState.Closed) : null;
                    break;
                case true:
                    _consecutiveFailures = 0;
                    break;
                case false:
                    changed = ++_consecutiveFailures >= _settings.FailureThreshold || permit.Probe ? MoveTo(CircuitState.Open) : null;
                    break;
            }
        }
        Notify(changed);
    }

    public CircuitSnapshot Snapshot()
    {
        CircuitSnapshot snapshot;
        CircuitState? changed;
        lock (_gate)
        {
            changed = HalfOpenIfDue();
            snapshot = new CircuitSnapshot(_state, _consecutiveFailures, _openedAt,
                _state == CircuitState.Open ? _openedAt!.Value + _settings.BreakDuration : null);
        }
        Notify(changed);
        return snapshot;
    }

    private CircuitState? HalfOpenIfDue() =>
        _state == CircuitState.Open && time.GetUtcNow() >= _openedAt!.Value + _settings.BreakDuration
            ? MoveTo(CircuitState.HalfOpen)
            : null;

    private CircuitState MoveTo(CircuitState state)
    {
        _state = state;
        _generation++;
        _probesInFlight = 0;
        _probeSuccesses = 0;
        _openedAt = state switch
        {
            CircuitState.Open => time.GetUtcNow(),
            CircuitState.Closed => null,
            _ => _openedAt,
        };
        if (state == CircuitState.Closed)
        {
            _consecutiveFailures = 0;
        }
        return state;
    }

    private void Notify(CircuitState? changed)
    {
        if (changed is { } state)
        {
            StateChanged?.Invoke(state);
        }
    }

    /// <summary>One call's slot: the state generation it entered in, and whether it is a half-open probe.</summary>
    internal readonly record struct Permit(long Generation, bool Probe);
}
