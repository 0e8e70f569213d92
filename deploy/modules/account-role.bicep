// Monitoring Reader on one Azure OpenAI account (metrics), in the account's own resource group.
param accountName string
param principalId string

var monitoringReader = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: accountName
}

resource metrics 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, monitoringReader)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringReader)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
