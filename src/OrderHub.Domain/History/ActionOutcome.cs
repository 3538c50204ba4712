namespace OrderHub.Domain.History;

public enum ActionOutcome
{
    Info,
    Success,
    Warning,
    Failure,
}
