// aoai-bot on Azure Container Apps: a user-assigned managed identity that reads Azure Monitor, an
// Azure Bot (Teams) that authenticates as that identity, Slack secrets as Container App secrets,
// and PostgreSQL Flexible Server when more than one replica runs. Not compiled here (no Bicep
// compiler on the machine it was written on); see README.md next to it.

@description('Prefix of every resource name.')
param name string = 'aoai-bot'
param location string = resourceGroup().location

@description('The bot image, e.g. <registry>.azurecr.io/aoai-bot:1 (built from the Dockerfile).')
param image string

@description('Azure OpenAI (or Foundry AIServices) account resource IDs the bot answers for.')
param aoaiAccountIds array

@description('Resource ID of the Log Analytics workspace the accounts send resource logs to; empty: no log questions.')
param workspaceResourceId string = ''

@description('Replicas of the bot. More than one puts the store in PostgreSQL Flexible Server.')
@minValue(1)
@maxValue(10)
param replicas int = 1

@description('IANA time zone for "today" and report schedules.')
param timezone string = 'UTC'

@secure()
@description('Slack Bot User OAuth Token (xoxb-…); empty: no Slack.')
param slackBotToken string = ''

@secure()
@description('Slack Signing Secret (HTTP events on /slack/events).')
param slackSigningSecret string = ''

@secure()
@description('Slack app-level token (xapp-…) for Socket Mode; empty: HTTP events.')
param slackAppToken string = ''

@description('The contents of aoai.config.yaml (access rules, schedules, verdict, prices…); empty: none. Mounted read-only at /etc/aoai/aoai.config.yaml.')
param configYaml string = ''

@description('PostgreSQL administrator login (used only when replicas > 1).')
param postgresAdminLogin string = 'aoaiadmin'

@secure()
@description('PostgreSQL administrator password (required when replicas > 1).')
param postgresAdminPassword string = ''

var usePostgres = replicas > 1
var port = 3978

// /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/<name>
var accounts = [for id in aoaiAccountIds: {
  subscriptionId: split(id, '/')[2]
  resourceGroup: split(id, '/')[4]
  name: last(split(id, '/'))
}]
// union() drops duplicates: one set of group roles per resource group, however many accounts it holds
var accountGroups = union(map(accounts, a => '${a.subscriptionId}/${a.resourceGroup}'), [])
// a stand-in id when there is no workspace: ARM may evaluate a skipped module's scope all the same
var workspaceParts = split(empty(workspaceResourceId) ? '${resourceGroup().id}/providers/Microsoft.OperationalInsights/workspaces/none' : workspaceResourceId, '/')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-id'
  location: location
}

module accountRoles 'modules/account-role.bicep' = [for (a, i) in accounts: {
  name: '${name}-account-role-${i}'
  scope: resourceGroup(a.subscriptionId, a.resourceGroup)
  params: {
    accountName: a.name
    principalId: identity.properties.principalId
  }
}]

module groupRoles 'modules/group-roles.bicep' = [for (g, i) in accountGroups: {
  name: '${name}-group-roles-${i}'
  scope: resourceGroup(split(g, '/')[0], split(g, '/')[1])
  params: {
    principalId: identity.properties.principalId
  }
}]

module workspaceRole 'modules/workspace-role.bicep' = if (!empty(workspaceResourceId)) {
  name: '${name}-workspace-role'
  scope: resourceGroup(workspaceParts[2], workspaceParts[4])
  params: {
    workspaceName: last(workspaceParts)
    principalId: identity.properties.principalId
  }
}

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = if (usePostgres) {
  name: '${name}-pg-${uniqueString(resourceGroup().id)}'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: {
      storageSizeGB: 32
    }
    backup: {
      backupRetentionDays: 7
    }
  }
}

resource postgresDb 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = if (usePostgres) {
  parent: postgres
  name: 'aoai'
}

// 0.0.0.0–0.0.0.0 means "Azure services": Container Apps' outbound addresses are not fixed.
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = if (usePostgres) {
  parent: postgres
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource appEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${name}-env'
  location: location
  properties: {}
}

// Secrets only for what was given (a Container App secret may not be empty). Which ones is decided
// from parameters alone, so the loops below are known when the deployment starts.
var secretGiven = {
  'slack-bot-token': !empty(slackBotToken)
  'slack-signing-secret': !empty(slackSigningSecret)
  'slack-app-token': !empty(slackAppToken)
  'database-url': usePostgres
}
var secretNames = map(filter(items(secretGiven), s => s.value), s => s.key)
var secretEnv = {
  'slack-bot-token': 'SLACK_BOT_TOKEN'
  'slack-signing-secret': 'SLACK_SIGNING_SECRET'
  'slack-app-token': 'SLACK_APP_TOKEN'
  'database-url': 'DATABASE_URL'
}
var secretValues = {
  'slack-bot-token': slackBotToken
  'slack-signing-secret': slackSigningSecret
  'slack-app-token': slackAppToken
  'database-url': usePostgres ? 'postgres://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/aoai?sslmode=require' : ''
}

var plainEnv = [
  { name: 'AOAI_RESOURCE_IDS', value: join(aoaiAccountIds, ',') }
  { name: 'AOAI_TIMEZONE', value: timezone }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: string(port) }
  // Azure Monitor: DefaultAzureCredential pinned to the user-assigned identity
  { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
  { name: 'AZURE_TOKEN_CREDENTIALS', value: 'ManagedIdentityCredential' }
  // Teams: the Agents SDK authenticates as the same identity (the Azure Bot's msaAppId)
  { name: 'clientId', value: identity.properties.clientId }
  { name: 'tenantId', value: tenant().tenantId }
  { name: 'authType', value: 'UserManagedIdentity' }
]
var workspaceEnv = empty(workspaceResourceId) ? [] : [{ name: 'AOAI_WORKSPACE_ID', value: workspaceResourceId }]
// the configuration file travels as a Container App secret mounted as a file, so editing access rules is a new revision, not a new image
var hasConfig = !empty(configYaml)
var configEnv = hasConfig ? [{ name: 'AOAI_CONFIG', value: '/etc/aoai/aoai.config.yaml' }] : []

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: name
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    managedEnvironmentId: appEnvironment.id
    configuration: {
      ingress: {
        external: true
        targetPort: port
        transport: 'http'
      }
      secrets: concat([for k in secretNames: {
        name: k
        value: secretValues[k]
      }], hasConfig ? [{ name: 'aoai-config', value: configYaml }] : [])
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: image
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(plainEnv, workspaceEnv, configEnv, map(secretNames, k => { name: secretEnv[k], secretRef: k }))
          volumeMounts: hasConfig ? [{ volumeName: 'config', mountPath: '/etc/aoai' }] : []
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: port }
              periodSeconds: 30
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: port }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: hasConfig ? [{ name: 'config', storageType: 'Secret', secrets: [{ secretRef: 'aoai-config', path: 'aoai.config.yaml' }] }] : []
      scale: {
        minReplicas: replicas
        maxReplicas: replicas
      }
    }
  }
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${name}-${uniqueString(resourceGroup().id)}'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: 'F0'
  }
  properties: {
    displayName: name
    endpoint: 'https://${app.properties.configuration.ingress.fqdn}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenant().tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output url string = 'https://${app.properties.configuration.ingress.fqdn}'
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output botName string = bot.name
