namespace OrderHub.Api.Persistence.Configurations;

/// <summary>Column lengths, shared by the model and the validators so input that fits one fits the other.</summary>
public static class Limits
{
    public const int Enum = 32;
    public const int Key = 64;
    public const int ExternalId = 128;
    public const int Name = 256;
    public const int Text = 1024;
    public const int Url = 2048;
    public const int Protected = 4096;
    public const int Action = 64;
    public const int Actor = 128;
}
