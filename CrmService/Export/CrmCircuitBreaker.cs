using Microsoft.Extensions.Options;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.CrmService.Export;

/// <summary>
/// The circuit breaker in front of the CRM (seed 002): opens after N consecutive failed calls, stays open for a
/// fixed time, then lets a limited number of probes through (half-open) and closes after M successful probes;
/// a failed probe opens it again. Time comes from <see cref="TimeProvider"/>, so tests move the clock instead
/// of sleeping. One breaker per process: a replica learns of an outage from its own calls.
/// </summary>
public sealed class CrmCircuitBreaker(IOptions<CrmOptions> options, TimeProvider time)
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

    private TimeSpan OpenDuration => TimeSpan.FromSeconds(_settings.OpenSeconds);

    public CircuitPermit TryEnter()
    {
        CircuitPermit permit;
        CircuitState? changed;
        lock (_gate)
        {
            changed = HalfOpenIfDue();
            permit = _state switch
            {
                CircuitState.Closed => new CircuitPermit(true, _generation, false, null),
                CircuitState.Open => new CircuitPermit(false, _generation, false, _openedAt!.Value + OpenDuration),
                _ when _probesInFlight < _settings.HalfOpenMaxProbes => Probe(),
                _ => new CircuitPermit(false, _generation, false, time.GetUtcNow().AddSeconds(_settings.HalfOpenBusyRetrySeconds)),
            };
        }
        Notify(changed);
        return permit;
    }

    public void RecordSuccess(CircuitPermit permit)
    {
        CircuitState? changed = null;
        lock (_gate)
        {
            if (!IsCurrent(permit))
            {
                return;
            }
            if (_state == CircuitState.Closed)
            {
                _consecutiveFailures = 0;
            }
            else if (_state == CircuitState.HalfOpen && permit.Probe)
            {
                _probesInFlight--;
                if (++_probeSuccesses >= _settings.SuccessesToClose)
                {
                    changed = MoveTo(CircuitState.Closed);
                }
            }
        }
        Notify(changed);
    }

    public void RecordFailure(CircuitPermit permit)
    {
        CircuitState? changed = null;
        lock (_gate)
        {
            if (!IsCurrent(permit))
            {
                return;
            }
            _consecutiveFailures++;
            if (_state == CircuitState.HalfOpen || _consecutiveFailures >= _settings.FailureThreshold)
            {
                changed = MoveTo(CircuitState.Open);
            }
        }
        Notify(changed);
    }

    /// <summary>A call that ended with no verdict (cancelled at shutdown) gives its probe slot back.</summary>
    public void Release(CircuitPermit permit)
    {
        lock (_gate)
        {
            if (IsCurrent(permit) && permit.Probe && _state == CircuitState.HalfOpen)
            {
                _probesInFlight--;
            }
        }
    }

    public CircuitSnapshot Snapshot()
    {
        CircuitSnapshot snapshot;
        CircuitState? changed;
        lock (_gate)
        {
            changed = HalfOpenIfDue();
            snapshot = new CircuitSnapshot(_state, _consecutiveFailures, _openedAt,
                _state == CircuitState.Open ? _openedAt!.Value + OpenDuration : null);
        }
        Notify(changed);
        return snapshot;
    }

    private bool IsCurrent(CircuitPermit permit) => permit.Allowed && permit.Generation == _generation;

    private CircuitPermit Probe()
    {
        _probesInFlight++;
        return new CircuitPermit(true, _generation, true, null);
    }

    private CircuitState? HalfOpenIfDue() =>
        _state == CircuitState.Open && time.GetUtcNow() >= _openedAt!.Value + OpenDuration
            ? MoveTo(CircuitState.HalfOpen)
            : null;

    private CircuitState MoveTo(CircuitState state)
    {
        _state = state;
        _generation++;
        _probesInFlight = 0;
        _probeSuccesses = 0;
        switch (state)
        {
            case CircuitState.Open:
                _openedAt = time.GetUtcNow();
                break;
            case CircuitState.Closed:
                _openedAt = null;
                _consecutiveFailures = 0;
                break;
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
}
