"""The beheerder's audit-trail screen: search the trail and see whether its chain holds."""
