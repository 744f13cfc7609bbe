import SafeguardCore
import Vapor

// The core's views of records are the API's bodies as they are: what they withhold is the core's
// rule (`Disclosure`), and the server only encodes them.
extension EncounterView: Content {}
extension DecisionView: Content {}
extension StepView: Content {}
extension PersonView: Content {}
extension FilingView: Content {}
extension FollowUpView: Content {}
extension CallView: Content {}
extension RegistrationView: Content {}
