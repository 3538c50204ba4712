using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OrderHub.Api.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AlertMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TelegramChatRowId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChatId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    GroupKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    GroupHeading = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Line = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    Keyboard = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: true),
                    TelegramMessageId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlertMessages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ActorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EntityType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    EntityId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Before = table.Column<string>(type: "TEXT", nullable: true),
                    After = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Cities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DotsCityId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Cities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "DataProtectionKeys",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FriendlyName = table.Column<string>(type: "TEXT", nullable: true),
                    Xml = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataProtectionKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PosFeedPositions",
                columns: table => new
                {
                    IntegrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AckedSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    AckedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosFeedPositions", x => x.IntegrationId);
                });

            migrationBuilder.CreateTable(
                name: "Users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LoginName = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PasswordHash = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    FailedSignInCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    SecurityStamp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ParkedVisibility = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSignInAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Users", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Companies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DotsCompanyId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    SigningSecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    PreviousSigningSecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    PreviousSecretExpiresAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SecretRotatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Companies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Companies_Cities_CityId",
                        column: x => x.CityId,
                        principalTable: "Cities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "UserApiKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LastUsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserApiKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_UserApiKeys_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CompanyPosIntegrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AutoSyncOnAcceptance = table.Column<bool>(type: "INTEGER", nullable: false),
                    PosterAccount = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    WebhookUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    SecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CompanyPosIntegrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CompanyPosIntegrations_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DotsMenuItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DotsId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Price = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PreviousPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DotsMenuItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DotsMenuItems_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InboxEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DotsOrderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    OrderingKey = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    WebhookTimestamp = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    Failures = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    ParkedReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    InboundEventId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProcessedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboxEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboxEvents_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PickupPoints",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DotsAddressId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Address = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UseCompanyDefaults = table.Column<bool>(type: "INTEGER", nullable: false),
                    HoldScheduledOrders = table.Column<bool>(type: "INTEGER", nullable: false),
                    PreparationMinutes = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PickupPoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PickupPoints_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TelegramBots",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    BotId = table.Column<long>(type: "INTEGER", nullable: false),
                    TokenProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    WebhookSecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdateOffset = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelegramBots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelegramBots_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TelegramChatCodes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CodePrefix = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelegramChatCodes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelegramChatCodes_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "UserCompanies",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserCompanies", x => new { x.UserId, x.CompanyId });
                    table.ForeignKey(
                        name: "FK_UserCompanies_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_UserCompanies_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExternalIds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScopeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DotsId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExternalIds", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExternalIds_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ExternalIds_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FiscalConnections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScopeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ReceiptsEnabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    PinProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    LicenseKeyProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    KeyMaterialProtected = table.Column<string>(type: "TEXT", maxLength: 32768, nullable: true),
                    DefaultTaxCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ProductTaxCodes = table.Column<string>(type: "TEXT", maxLength: 65536, nullable: true),
                    ShiftCloseAt = table.Column<TimeOnly>(type: "TEXT", nullable: true),
                    LastShiftClosedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    StatusMessage = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    StatusMessageKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    StatusMessageArgs = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    CheckedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FiscalConnections", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FiscalConnections_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_FiscalConnections_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FiscalEmployees",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    FiscalNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    IsDefaultCashier = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FiscalEmployees", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FiscalEmployees_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DotsOrderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Number = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DotsStatus = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ExportState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Problem = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    DeliveryType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PaymentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Paid = table.Column<bool>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    DeliveryPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Persons = table.Column<int>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    DeliveryTime = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PosOrderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    PosStatus = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ExportedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ParkedQueue = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ParkedBy = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ParkedByRole = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ParkedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AcceptedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    CustomerPhone = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CustomerEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AddressStreet = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AddressHouse = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AddressEntrance = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AddressFloor = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AddressApartment = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    AddressComment = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    AddressReceiptContact = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    AddressPhones = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    RawPayload = table.Column<string>(type: "TEXT", nullable: false),
                    RawPayloadPrunedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IsTest = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Orders_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Orders_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ParkedQueues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ScopeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ParkedQueues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ParkedQueues_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ParkedQueues_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PosCatalogItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    ParentExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Price = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    FirstSeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PreviousName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    PreviousPrice = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    RemovedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosCatalogItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PosCatalogItems_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PosIntegrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    UseCompanyDefaults = table.Column<bool>(type: "INTEGER", nullable: false),
                    AutoSyncOnAcceptance = table.Column<bool>(type: "INTEGER", nullable: false),
                    PosterAccount = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PosterSpotId = table.Column<long>(type: "INTEGER", nullable: true),
                    WebhookUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    SecretProtected = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    DisabledReason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LastCheckAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastCheckOk = table.Column<bool>(type: "INTEGER", nullable: true),
                    LastCheckMessage = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LastCheckReason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    LastCheckFixHint = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    AutoSyncOverrideAt = table.Column<long>(type: "INTEGER", nullable: true),
                    AutoSyncOverrideBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    AutoSyncOverrideReason = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    AutoSyncOverrideCoverage = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: true),
                    AutoSyncOverrideMissing = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Mode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false, defaultValue: "Live"),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosIntegrations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PosIntegrations_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationRuns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    PosKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    Expected = table.Column<int>(type: "INTEGER", nullable: false),
                    AtPos = table.Column<int>(type: "INTEGER", nullable: false),
                    Cancelled = table.Column<int>(type: "INTEGER", nullable: false),
                    Missing = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    TotalMismatches = table.Column<int>(type: "INTEGER", nullable: false),
                    Unknown = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    ErrorKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    ErrorArgs = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FinishedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationRuns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationRuns_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReconciliationRuns_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RegisterOperations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PosterAccount = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TransactionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    TypeHistory = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Risk = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    HappenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    RegisterId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Value = table.Column<decimal>(type: "TEXT", precision: 18, scale: 3, nullable: true),
                    Value2 = table.Column<decimal>(type: "TEXT", precision: 18, scale: 3, nullable: true),
                    Value3 = table.Column<decimal>(type: "TEXT", precision: 18, scale: 3, nullable: true),
                    ValueText = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RegisterOperations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RegisterOperations_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TelegramChats",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ChatId = table.Column<long>(type: "INTEGER", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Alerts = table.Column<int>(type: "INTEGER", nullable: false),
                    Reports = table.Column<int>(type: "INTEGER", nullable: false),
                    ReportAtMinute = table.Column<int>(type: "INTEGER", nullable: false),
                    MinRegisterAmount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    MinDiscountPercent = table.Column<decimal>(type: "TEXT", precision: 5, scale: 2, nullable: true),
                    WaitingAlertMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false, defaultValue: "uk"),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TelegramChats", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TelegramChats_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TelegramChats_PickupPoints_PickupPointId",
                        column: x => x.PickupPointId,
                        principalTable: "PickupPoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExportQueue",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Generation = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FirstAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    MayHaveReachedPos = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    HeldUntil = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExportQueue", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExportQueue_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "FiscalReceipts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConnectionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    SaleReceiptId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    EmployeeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CashierName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    RegisterFiscalNumber = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PaymentType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Total = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 262144, nullable: false),
                    Contact = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ContactSource = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CopyState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    BuyerName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    BuyerTaxId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FiscalCode = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FiscalDate = table.Column<long>(type: "INTEGER", nullable: true),
                    TaxUrl = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    FixHint = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NextAttemptAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    LocalNumber = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAttemptAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    QueuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FiscalReceipts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FiscalReceipts_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "InboundEvents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    WebhookId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DotsOrderId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    DotsAddressId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReceivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RawPayload = table.Column<string>(type: "TEXT", nullable: true),
                    RawPayloadPrunedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InboundEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InboundEvents_Companies_CompanyId",
                        column: x => x.CompanyId,
                        principalTable: "Companies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_InboundEvents_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "OrderLines",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    DotsProductId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DotsVariantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Quantity = table.Column<decimal>(type: "TEXT", precision: 18, scale: 3, nullable: false),
                    Price = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    ExternalProductId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    ExternalVariantId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLines", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLines_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderPromotions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    DotsPromotionId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Discount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderPromotions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderPromotions_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PosFeedMessages",
                columns: table => new
                {
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    IntegrationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PickupPointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PosFeedMessages", x => x.Sequence);
                    table.ForeignKey(
                        name: "FK_PosFeedMessages_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReconciliationFindings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RunId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OrderNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ExportState = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    PosOrderIds = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Copies = table.Column<int>(type: "INTEGER", nullable: false),
                    ExpectedTotal = table.Column<long>(type: "INTEGER", nullable: true),
                    PosTotal = table.Column<long>(type: "INTEGER", nullable: true),
                    RedrivenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RedrivenBy = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReconciliationFindings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReconciliationFindings_ReconciliationRuns_RunId",
                        column: x => x.RunId,
                        principalTable: "ReconciliationRuns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CompanyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderId = table.Column<Guid>(type: "TEXT", nullable: true),
                    InboundEventId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    FixHint = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    MessageKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    MessageArgs = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    FixHintKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    FixHintArgs = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    Details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderActions_InboundEvents_InboundEventId",
                        column: x => x.InboundEventId,
                        principalTable: "InboundEvents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OrderActions_Orders_OrderId",
                        column: x => x.OrderId,
                        principalTable: "Orders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OrderLineModifiers",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrderLineId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    DotsModifierId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    DotsGroupId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    Quantity = table.Column<decimal>(type: "TEXT", precision: 18, scale: 3, nullable: false),
                    Price = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrderLineModifiers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrderLineModifiers_OrderLines_OrderLineId",
                        column: x => x.OrderLineId,
                        principalTable: "OrderLines",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AlertMessages_CompanyId_CreatedAt",
                table: "AlertMessages",
                columns: new[] { "CompanyId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertMessages_State_NextAttemptAt",
                table: "AlertMessages",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AlertMessages_TelegramChatRowId_DedupKey",
                table: "AlertMessages",
                columns: new[] { "TelegramChatRowId", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_CompanyId_At",
                table: "AuditEntries",
                columns: new[] { "CompanyId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_EntityType_EntityId",
                table: "AuditEntries",
                columns: new[] { "EntityType", "EntityId" });

            migrationBuilder.CreateIndex(
                name: "IX_Cities_DotsCityId",
                table: "Cities",
                column: "DotsCityId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Companies_CityId",
                table: "Companies",
                column: "CityId");

            migrationBuilder.CreateIndex(
                name: "IX_Companies_DotsCompanyId",
                table: "Companies",
                column: "DotsCompanyId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Companies_Key",
                table: "Companies",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CompanyPosIntegrations_CompanyId",
                table: "CompanyPosIntegrations",
                column: "CompanyId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DotsMenuItems_CompanyId_Kind_DotsId",
                table: "DotsMenuItems",
                columns: new[] { "CompanyId", "Kind", "DotsId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExportQueue_OrderId_Kind",
                table: "ExportQueue",
                columns: new[] { "OrderId", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ExportQueue_State_NextAttemptAt",
                table: "ExportQueue",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalIds_CompanyId_Kind",
                table: "ExternalIds",
                columns: new[] { "CompanyId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_ExternalIds_PickupPointId",
                table: "ExternalIds",
                column: "PickupPointId");

            migrationBuilder.CreateIndex(
                name: "IX_ExternalIds_ScopeId_Kind_DotsId",
                table: "ExternalIds",
                columns: new[] { "ScopeId", "Kind", "DotsId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FiscalConnections_CompanyId",
                table: "FiscalConnections",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_FiscalConnections_PickupPointId",
                table: "FiscalConnections",
                column: "PickupPointId");

            migrationBuilder.CreateIndex(
                name: "IX_FiscalConnections_ScopeId",
                table: "FiscalConnections",
                column: "ScopeId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FiscalEmployees_PickupPointId_UserName",
                table: "FiscalEmployees",
                columns: new[] { "PickupPointId", "UserName" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FiscalReceipts_DedupKey",
                table: "FiscalReceipts",
                column: "DedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_FiscalReceipts_OrderId",
                table: "FiscalReceipts",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_FiscalReceipts_State_NextAttemptAt",
                table: "FiscalReceipts",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_CompanyId_DedupKey",
                table: "InboundEvents",
                columns: new[] { "CompanyId", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_CompanyId_WebhookId",
                table: "InboundEvents",
                columns: new[] { "CompanyId", "WebhookId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_OrderId",
                table: "InboundEvents",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_ReceivedAt_PayloadKept",
                table: "InboundEvents",
                column: "ReceivedAt",
                filter: "\"RawPayloadPrunedAt\" IS NULL AND \"RawPayload\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_InboundEvents_State_ReceivedAt",
                table: "InboundEvents",
                columns: new[] { "State", "ReceivedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_CompanyId_DotsOrderId",
                table: "InboxEvents",
                columns: new[] { "CompanyId", "DotsOrderId" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_CompanyId_OrderingKey_LeaseUntil",
                table: "InboxEvents",
                columns: new[] { "CompanyId", "OrderingKey", "LeaseUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_CompanyId_WebhookId",
                table: "InboxEvents",
                columns: new[] { "CompanyId", "WebhookId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_InboxEvents_State_NextAttemptAt",
                table: "InboxEvents",
                columns: new[] { "State", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderActions_CompanyId_At",
                table: "OrderActions",
                columns: new[] { "CompanyId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderActions_InboundEventId",
                table: "OrderActions",
                column: "InboundEventId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderActions_OrderId_Id",
                table: "OrderActions",
                columns: new[] { "OrderId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_OrderLineModifiers_OrderLineId",
                table: "OrderLineModifiers",
                column: "OrderLineId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderLines_OrderId",
                table: "OrderLines",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_OrderPromotions_OrderId",
                table: "OrderPromotions",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CompanyId_DotsOrderId",
                table: "Orders",
                columns: new[] { "CompanyId", "DotsOrderId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CompanyId_ReceivedAt_Id",
                table: "Orders",
                columns: new[] { "CompanyId", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PickupPointId_ExportState_ReceivedAt_Id",
                table: "Orders",
                columns: new[] { "PickupPointId", "ExportState", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_PickupPointId_ReceivedAt_Id",
                table: "Orders",
                columns: new[] { "PickupPointId", "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReceivedAt_Id",
                table: "Orders",
                columns: new[] { "ReceivedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Orders_ReceivedAt_PayloadKept",
                table: "Orders",
                column: "ReceivedAt",
                filter: "\"RawPayloadPrunedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ParkedQueues_CompanyId",
                table: "ParkedQueues",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_ParkedQueues_PickupPointId",
                table: "ParkedQueues",
                column: "PickupPointId");

            migrationBuilder.CreateIndex(
                name: "IX_ParkedQueues_ScopeId_Key",
                table: "ParkedQueues",
                columns: new[] { "ScopeId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PickupPoints_CompanyId_DotsAddressId",
                table: "PickupPoints",
                columns: new[] { "CompanyId", "DotsAddressId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PosCatalogItems_PickupPointId_Kind_ExternalId",
                table: "PosCatalogItems",
                columns: new[] { "PickupPointId", "Kind", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_IntegrationId_MessageId",
                table: "PosFeedMessages",
                columns: new[] { "IntegrationId", "MessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_IntegrationId_Sequence",
                table: "PosFeedMessages",
                columns: new[] { "IntegrationId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_PosFeedMessages_OrderId",
                table: "PosFeedMessages",
                column: "OrderId");

            migrationBuilder.CreateIndex(
                name: "IX_PosIntegrations_PickupPointId",
                table: "PosIntegrations",
                column: "PickupPointId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationFindings_RunId",
                table: "ReconciliationFindings",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationRuns_CompanyId",
                table: "ReconciliationRuns",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationRuns_PickupPointId_Day",
                table: "ReconciliationRuns",
                columns: new[] { "PickupPointId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReconciliationRuns_State_LeaseUntil",
                table: "ReconciliationRuns",
                columns: new[] { "State", "LeaseUntil" });

            migrationBuilder.CreateIndex(
                name: "IX_RegisterOperations_CompanyId_DedupKey",
                table: "RegisterOperations",
                columns: new[] { "CompanyId", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RegisterOperations_PickupPointId_HappenedAt",
                table: "RegisterOperations",
                columns: new[] { "PickupPointId", "HappenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RegisterOperations_PosterAccount_TransactionId",
                table: "RegisterOperations",
                columns: new[] { "PosterAccount", "TransactionId" });

            migrationBuilder.CreateIndex(
                name: "IX_TelegramBots_BotId",
                table: "TelegramBots",
                column: "BotId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelegramBots_CompanyId",
                table: "TelegramBots",
                column: "CompanyId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelegramChatCodes_CompanyId_CodePrefix",
                table: "TelegramChatCodes",
                columns: new[] { "CompanyId", "CodePrefix" });

            migrationBuilder.CreateIndex(
                name: "IX_TelegramChats_ChatId",
                table: "TelegramChats",
                column: "ChatId");

            migrationBuilder.CreateIndex(
                name: "IX_TelegramChats_CompanyId_ChatId",
                table: "TelegramChats",
                columns: new[] { "CompanyId", "ChatId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TelegramChats_PickupPointId",
                table: "TelegramChats",
                column: "PickupPointId");

            migrationBuilder.CreateIndex(
                name: "IX_UserApiKeys_Prefix",
                table: "UserApiKeys",
                column: "Prefix");

            migrationBuilder.CreateIndex(
                name: "IX_UserApiKeys_UserId",
                table: "UserApiKeys",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_UserCompanies_CompanyId",
                table: "UserCompanies",
                column: "CompanyId");

            migrationBuilder.CreateIndex(
                name: "IX_Users_LoginName",
                table: "Users",
                column: "LoginName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlertMessages");

            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "CompanyPosIntegrations");

            migrationBuilder.DropTable(
                name: "DataProtectionKeys");

            migrationBuilder.DropTable(
                name: "DotsMenuItems");

            migrationBuilder.DropTable(
                name: "ExportQueue");

            migrationBuilder.DropTable(
                name: "ExternalIds");

            migrationBuilder.DropTable(
                name: "FiscalConnections");

            migrationBuilder.DropTable(
                name: "FiscalEmployees");

            migrationBuilder.DropTable(
                name: "FiscalReceipts");

            migrationBuilder.DropTable(
                name: "InboxEvents");

            migrationBuilder.DropTable(
                name: "OrderActions");

            migrationBuilder.DropTable(
                name: "OrderLineModifiers");

            migrationBuilder.DropTable(
                name: "OrderPromotions");

            migrationBuilder.DropTable(
                name: "ParkedQueues");

            migrationBuilder.DropTable(
                name: "PosCatalogItems");

            migrationBuilder.DropTable(
                name: "PosFeedMessages");

            migrationBuilder.DropTable(
                name: "PosFeedPositions");

            migrationBuilder.DropTable(
                name: "PosIntegrations");

            migrationBuilder.DropTable(
                name: "ReconciliationFindings");

            migrationBuilder.DropTable(
                name: "RegisterOperations");

            migrationBuilder.DropTable(
                name: "TelegramBots");

            migrationBuilder.DropTable(
                name: "TelegramChatCodes");

            migrationBuilder.DropTable(
                name: "TelegramChats");

            migrationBuilder.DropTable(
                name: "UserApiKeys");

            migrationBuilder.DropTable(
                name: "UserCompanies");

            migrationBuilder.DropTable(
                name: "InboundEvents");

            migrationBuilder.DropTable(
                name: "OrderLines");

            migrationBuilder.DropTable(
                name: "ReconciliationRuns");

            migrationBuilder.DropTable(
                name: "Users");

            migrationBuilder.DropTable(
                name: "Orders");

            migrationBuilder.DropTable(
                name: "PickupPoints");

            migrationBuilder.DropTable(
                name: "Companies");

            migrationBuilder.DropTable(
                name: "Cities");
        }
    }
}
