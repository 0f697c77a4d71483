namespace Bff.Shared.Resilience;

/// <summary>
/// A retry budget (as in Envoy and gRPC): in each 10-second window, retries may be at most <c>ratio</c> of the
/// requests, with a floor of 3 so that a quiet route can still retry. A failing backend therefore sees at most
/// 1 + ratio times its normal traffic, not 1 + Count times.
/// </summary>
internal sealed class RetryBudget(double ratio, TimeProvider time)
{
    private static readonly long Window = TimeSpan.FromSeconds(10).Ticks;
    private const int Floor = 3;
    private readonly Lock _gate = new();
    private long _windowStart = time.GetUtcNow().UtcTicks;
    private int _requests;
    private int _retries;

    public void RecordRequest()
    {
        lock (_gate)
        {
            Roll();
            _requests++;
        }
    }

    public bool TryRetry()
    {
        lock (_gate)
        {
            Roll();
            if (ratio <= 0 || _retries >= Math.Max(Floor, (int)(_requests * ratio))) return false;
            _retries++;
            return true;
        }
    }

    private void Roll()
    {
        var now = time.GetUtcNow().UtcTicks;
        if (now - _windowStart < Window) return;
        _windowStart = now;
        _requests = 0;
        _retries = 0;
    }
}
